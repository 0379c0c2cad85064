"""两书同达: every penalty of a disclosed tier has its 信用修复告知书 (page and
print view) on the record's staff page: what was published, for how long,
the shortest period, how and where to apply, the link to the portal form."""

import datetime as dt

import pytest

from rights.factories import company, public_record
from rights.repair_factories import negative_record


@pytest.fixture
def record(department, xzcf):
    return negative_record(department=department, subject=company(), decided=dt.date(2025, 1, 2))


def test_the_notice_says_what_when_and_how(record, clerk, client_as):
    c = client_as(clerk)
    staff = c.get(f"/staff/records/{record.pk}/").content.decode()
    assert f'href="/staff/rights/records/{record.pk}/repair-notice/"' in staff
    page = c.get(f"/staff/rights/records/{record.pk}/repair-notice/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "信用修复告知书" in html and record.doc_number in html
    assert "最短公示 3 个月，最长公示 12 个月" in html
    assert "2025年4月2日" in html and "2025年4月3日" in html  # ends, then may apply
    assert "2026年1月2日" in html  # the end of publication
    assert f"/repairs/new/?record={record.pk}" in html  # the portal's form
    assert "谁认定、谁修复" in html and "不收取任何费用" in html
    printed = c.get(f"/staff/rights/records/{record.pk}/repair-notice/?print=1").content.decode()
    assert "@media print" in printed and "@page" in printed and record.doc_number in printed


def test_a_category_that_cannot_be_repaired_says_so(department, xzcf, clerk, client_as):
    record = negative_record(
        department=department,
        subject=company(),
        decided=dt.date(2025, 1, 2),
        category="吊销许可证件",
    )
    html = client_as(clerk).get(f"/staff/rights/records/{record.pk}/repair-notice/")
    html = html.content.decode()
    assert 'id="notice-not-repairable"' in html and "吊销许可证件" in html
    assert "/repairs/new/" not in html


def test_no_notice_without_a_disclosed_tier_or_for_another_department(
    record, department, xzcf, clerk, other_clerk, client_as
):
    plain = public_record(department=department, subject=record.subject)
    c = client_as(clerk)
    assert c.get(f"/staff/rights/records/{plain.pk}/repair-notice/").status_code == 404
    assert "repair-notice" not in c.get(f"/staff/records/{plain.pk}/").content.decode()
    other = client_as(other_clerk)
    assert other.get(f"/staff/rights/records/{record.pk}/repair-notice/").status_code == 404


def test_the_list_decisions_notice_links_to_the_repair_form(record, department, client_as, clerk):
    from lists.factories import ListEntryFactory, ListTypeFactory

    entry = ListEntryFactory(
        list_type=ListTypeFactory(code="WITHREPAIR"), subject=record.subject, decided_by=department
    )
    entry.evidence.add(record)
    html = client_as(clerk).get(f"/staff/lists/{entry.pk}/decision/").content.decode()
    assert "信用修复告知书" in html and 'id="repair-online"' in html
    assert f"/repairs/new/?record={record.pk}" in html and "/guide/repair/" in html
