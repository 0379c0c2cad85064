"""A subject's public page data (`records.selectors.subject_page`)."""

import datetime as dt

import pytest

from records.conftest import licence_row, person_penalty_row
from support.ingest_files import company_code, penalty_row
from xinyong.core.errors import NotFoundError
from xinyong.records import selectors
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.subjects.models import Subject, SubjectIdentifier

pytestmark = pytest.mark.django_db


def _penalty(n: int, decided: str) -> dict:
    # All of company 1, each its own decision.
    return penalty_row(
        1, **{"行政处罚决定书文号": f"神市监罚〔2025〕{n}号", "处罚决定日期": decided}
    )


def test_groups_newest_first_each_capped(xzcf, xzxk, submit, day, monkeypatch):
    day("2025-10-09")
    monkeypatch.setattr("xinyong.records.selectors.subject.SUBJECT_PAGE_RECORDS", 3)
    dates = ["2025/09/01", "2025/09/20", "2025/09/05", "2025/09/30", "2025/09/10"]
    submit(xzcf, [_penalty(n, d) for n, d in enumerate(dates, start=1)])
    subject = Subject.objects.get(uscc=company_code(1))
    SubjectIdentifier.objects.create(
        subject=subject, kind=SubjectIdentifier.Kind.REGISTRATION, value="429021000012345"
    )

    page = selectors.subject_page(subject.pk)

    assert page.subject.name == subject.name and page.subject.uscc == company_code(1)
    assert [(i.kind, i.value) for i in page.identifiers] == [
        ("registration_number", "429021000012345")
    ]
    # The 双公示 groups, in their fixed order, even when empty.
    assert [g.kind.slug for g in page.groups] == ["licences", "penalties"]
    licences, penalties = page.groups
    assert licences.records == [] and not licences.more
    assert [r.decision_date for r in penalties.records] == [
        dt.date(2025, 9, 30),
        dt.date(2025, 9, 20),
        dt.date(2025, 9, 10),
    ]
    assert penalties.more
    # Each row is the public shape, without the record's fields.
    first = penalties.records[0]
    assert first.subject_id == subject.pk and first.department_code == "scjg"
    assert first.kind is selectors.KINDS["penalties"] and first.fields == []


def test_only_public_records_of_this_subject(xzcf, xzxk, submit, day, admin_user):
    day("2025-10-09")
    kept, withdrawn, _other = submit(
        xzcf, [_penalty(1, "2025/09/30"), _penalty(2, "2025/09/29"), penalty_row(3)]
    )
    submit(xzxk, [licence_row(1)])
    record_withdraw(actor=admin_user, record=withdrawn, reason="复议撤销")
    page = selectors.subject_page(kept.subject_id)
    listed = {r.id for group in page.groups for r in group.records}
    licence = Record.objects.get(item=xzxk)
    assert listed == {kept.pk, licence.pk}


def test_two_queries_whatever_the_subject_holds(xzcf, submit, day, django_assert_num_queries):
    day("2025-10-09")
    records = submit(xzcf, [_penalty(n, "2025/09/30") for n in range(1, 21)])
    with django_assert_num_queries(2):
        page = selectors.subject_page(records[0].subject_id)
    assert len(page.groups[1].records) == 20


def test_a_natural_person_has_no_page(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [person_penalty_row(900)])
    assert record.subject.kind == Subject.Kind.PERSON
    with pytest.raises(NotFoundError):
        selectors.subject_page(record.subject_id)
    with pytest.raises(NotFoundError):
        selectors.subject_page(999_999)


def test_a_record_leaves_the_page_the_day_after_its_window(xzcf, submit, day):
    # The page's statement is compiled once per day: the next day's is another.
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])
    Record.objects.filter(pk=record.pk).update(disclosure_end=dt.date(2025, 10, 9))
    assert [r.id for r in selectors.subject_page(record.subject_id).groups[1].records] == [
        record.pk
    ]
    day("2025-10-10")
    assert selectors.subject_page(record.subject_id).groups[1].records == []
