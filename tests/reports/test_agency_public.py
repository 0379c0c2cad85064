"""The public side of the agencies' registry: the 名录 (public fields only, never the
phone; a bounded number of queries) and the verification of a filed report (已备案 /
未备案 / 已撤销 / 已过期, the file compared by SHA-256), rate-limited like other look-ups."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.conftest import PDF, a_uscc
from xinyong.core import clock
from xinyong.reports import services

pytestmark = pytest.mark.django_db


def filed(agency_user, admin_user, *, number="CX-1", issued=None, valid_days=300, file=True):
    issued = issued or clock.today() - dt.timedelta(days=5)
    filing = services.agency_report_submit(
        actor=agency_user,
        number=number,
        subject_uscc="91110000600037341L",
        subject_name="神农架林区某某建材有限公司",
        kind="rating",
        grade="AA",
        issued_on=issued,
        valid_until=issued + dt.timedelta(days=valid_days),
        purpose="procurement",
        pdf=PDF,
    )
    if file:
        filing = services.agency_report_file(actor=admin_user, filing=filing)
    return filing


def verify(client, agency_code, number, pdf=None):
    body = {"agency": agency_code, "number": number}
    if pdf is not None:
        body["file"] = SimpleUploadedFile("bid.pdf", pdf, "application/pdf")
    return client.post("/agencies/verify/", body)


def test_directory_lists_public_fields_and_never_the_phone(
    client, agency, other_agency, agency_user, admin_user
):
    filed(agency_user, admin_user)
    filed(agency_user, admin_user, number="CX-2", file=False)  # awaiting review: not counted
    services.agency_suspend(actor=admin_user, agency=other_agency, reason="整改")
    response = client.get("/agencies/")
    text = response.content.decode()
    assert response.status_code == 200
    assert agency.department.name in text and agency.filing_number in text and agency.uscc in text
    assert "信用报告、信用评级" in text and "暂停" in text
    assert "0719-3331234" not in text and "3331234" not in text
    row = text[text.index(agency.filing_number) :].split("</tr>")[0]
    assert "<td>1</td>" in row  # one filed report; the submitted one is not counted
    suspended = client.get("/agencies/?status=suspended").content.decode()
    assert other_agency.filing_number in suspended and agency.filing_number not in suspended


def test_directory_query_count_does_not_grow(client, admin_user, django_assert_max_num_queries):
    for n in range(6):
        services.agency_register(
            actor=admin_user, name=f"信用公司{n}", uscc=a_uscc(f"91429021MA49A{n:03d}")
        )
    with django_assert_max_num_queries(3):
        assert client.get("/agencies/").status_code == 200


def test_verification_of_a_filed_report_and_its_file(client, agency, agency_user, admin_user):
    filing = filed(agency_user, admin_user)
    page = verify(client, agency.filing_number, "CX-1")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-outcome="filed"' in text and "已备案" in text
    assert "神农架林区某某建材有限公司" in text and "AA" in text
    assert filing.valid_until.isoformat() in text
    same = verify(client, agency.uscc, "CX-1", pdf=PDF).content.decode()
    assert "文件与备案一致" in same
    other = verify(client, agency.filing_number, "CX-1", pdf=PDF + b"tampered").content.decode()
    assert "文件与备案不一致" in other


def test_verification_unknown_pending_revoked_and_expired(client, agency, agency_user, admin_user):
    assert 'data-outcome="unfiled"' in verify(client, agency.filing_number, "NOPE").content.decode()
    assert 'data-outcome="unfiled"' in verify(client, "XYFW-1999-0001", "CX-1").content.decode()
    filed(agency_user, admin_user, number="PENDING", file=False)
    pending = verify(client, agency.filing_number, "PENDING").content.decode()
    assert 'data-outcome="unfiled"' in pending
    gone = filed(agency_user, admin_user, number="GONE")
    services.agency_report_revoke(actor=admin_user, filing=gone, reason="内容不实")
    revoked = verify(client, agency.filing_number, "GONE").content.decode()
    assert 'data-outcome="revoked"' in revoked and "已撤销" in revoked
    filed(
        agency_user,
        admin_user,
        number="OLD",
        issued=clock.today() - dt.timedelta(days=200),
        valid_days=100,
    )
    expired = verify(client, agency.filing_number, "OLD").content.decode()
    assert 'data-outcome="expired"' in expired and "已过期" in expired


def test_verification_is_rate_limited_in_chinese(client, settings, agency):
    settings.RATE_LIMITS = {"search": (3, 60)}
    for _ in range(3):
        assert verify(client, agency.filing_number, "X").status_code == 200
    refused = verify(client, agency.filing_number, "X")
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode()


def test_verification_form_needs_both_fields(client):
    assert client.get("/agencies/verify/").status_code == 200
    assert client.post("/agencies/verify/", {"agency": ""}).status_code == 400
