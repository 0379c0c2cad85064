"""Filing the credit reports agencies issue (信用报告备案): by a page and by the API, only a
filed agency, only its own filings; the credit office reviews with what our data holds on
the subject and is warned when a good grade meets a black listing."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.conftest import PDF, a_uscc
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.models import AuditLog
from xinyong.core.workdays import add_workdays
from xinyong.reports import services
from xinyong.reports.models import AgencyReport
from xinyong.reports.storage import read_filing

pytestmark = pytest.mark.django_db

COMPANY = "91110000600037341L"  # the `company` fixture's USCC


def fields(**overrides):
    today = clock.today()
    data = {
        "number": "CX-2026-001",
        "subject_uscc": COMPANY,
        "subject_name": "神农架林区某某建材有限公司",
        "kind": "rating",
        "grade": "AA",
        "issued_on": (today - dt.timedelta(days=3)).isoformat(),
        "valid_until": (today + dt.timedelta(days=300)).isoformat(),
        "purpose": "bidding",
    }
    data.update(overrides)
    return data


def submit(actor, **overrides):
    data = fields(**overrides)
    pdf = data.pop("pdf", PDF)
    return services.agency_report_submit(
        actor=actor,
        pdf=pdf,
        **{
            **data,
            "issued_on": dt.date.fromisoformat(data["issued_on"]),
            "valid_until": dt.date.fromisoformat(data["valid_until"]),
        },
    )


def api_post(client, token, *, pdf=PDF, name="report.pdf", **overrides):
    body = {**fields(**overrides), "file": SimpleUploadedFile(name, pdf, "application/pdf")}
    return client.post(
        "/api/v1/agency-reports", body, headers={"Authorization": f"Bearer {token.secret}"}
    )


# -- submission --------------------------------------------------------------------------


def test_agency_user_files_a_report_on_the_page(client_as, agency_user, company):
    client = client_as(agency_user)
    assert client.get("/staff/reports/filings/new/").status_code == 200
    body = {**fields(), "file": SimpleUploadedFile("r.pdf", PDF, "application/pdf")}
    response = client.post("/staff/reports/filings/new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    filing = AgencyReport.objects.get()
    assert filing.status == AgencyReport.Status.SUBMITTED and filing.subject == company
    assert filing.submitted_by == agency_user
    assert filing.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert read_filing(filing.storage_key) == PDF
    # The credit office's own rule: 5 working days from submission.
    assert filing.due_on == add_workdays(clock.today(), 5).date
    listing = client.get("/staff/reports/filings/")
    assert listing.status_code == 200 and "CX-2026-001" in listing.content.decode()
    assert AuditLog.objects.filter(action="agency_report.submit").count() == 1


def test_a_non_pdf_is_refused_in_chinese_on_the_page(client_as, agency_user):
    client = client_as(agency_user)
    body = {**fields(), "file": SimpleUploadedFile("r.pdf", b"<html>not</html>", "text/html")}
    response = client.post("/staff/reports/filings/new/", body)
    assert response.status_code == 400 and "只接受 PDF" in response.content.decode()
    assert not AgencyReport.objects.exists()


def test_api_files_a_report_and_reads_it_back(client, agency_token, company):
    response = api_post(client, agency_token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["sha256"] == hashlib.sha256(PDF).hexdigest()
    again = client.get(
        f"/api/v1/agency-reports/{body['id']}",
        headers={"Authorization": f"Bearer {agency_token.secret}"},
    )
    assert again.status_code == 200 and again.json()["number"] == "CX-2026-001"
    assert AgencyReport.objects.get().submitted_token == agency_token


def test_api_answers_404_for_another_agency_s_filing(client, agency_token, other_agency):
    from orgs.factories import ApiTokenFactory

    created = api_post(client, agency_token).json()
    stranger = ApiTokenFactory(department=other_agency.department)
    response = client.get(
        f"/api/v1/agency-reports/{created['id']}",
        headers={"Authorization": f"Bearer {stranger.secret}"},
    )
    assert response.status_code == 404 and response.json()["message"]


def test_api_refuses_bad_input_in_chinese(client, agency_token):
    not_pdf = api_post(client, agency_token, pdf=b"PK\x03\x04zip")
    assert not_pdf.status_code == 400 and "PDF" in not_pdf.json()["message"]
    bad_uscc = api_post(client, agency_token, subject_uscc="91110000600037341X")
    assert bad_uscc.status_code == 400 and "统一社会信用代码" in bad_uscc.json()["message"]
    today = clock.today()
    too_long = api_post(
        client,
        agency_token,
        issued_on=today.isoformat(),
        valid_until=(today + dt.timedelta(days=400)).isoformat(),
    )
    assert too_long.status_code == 400 and "最长一年" in too_long.json()["message"]
    backwards = api_post(client, agency_token, valid_until=today.replace(year=2020).isoformat())
    assert backwards.status_code == 400 and "晚于出具日期" in backwards.json()["message"]
    no_grade = api_post(client, agency_token, grade="")
    assert no_grade.status_code == 400 and "信用等级" in no_grade.json()["message"]
    missing_file = client.post(
        "/api/v1/agency-reports",
        fields(),
        headers={"Authorization": f"Bearer {agency_token.secret}"},
    )
    assert missing_file.status_code == 422 and missing_file.json()["message"]
    assert not AgencyReport.objects.exists()


def test_the_same_number_twice_is_a_conflict(client, agency_token):
    assert api_post(client, agency_token).status_code == 201
    second = api_post(client, agency_token)
    assert second.status_code == 409 and "已提交过" in second.json()["message"]


def test_a_department_token_cannot_file(client, department):
    from orgs.factories import ApiTokenFactory

    token = ApiTokenFactory(department=department)
    response = api_post(client, token)
    assert response.status_code == 403 and response.json()["code"] == "not_agency"


def test_a_suspended_agency_cannot_file(
    client, client_as, agency, agency_token, agency_user, admin_user
):
    services.agency_suspend(actor=admin_user, agency=agency, reason="整改")
    response = api_post(client, agency_token)
    assert response.status_code == 403 and "暂停" in response.json()["message"]
    page = client_as(agency_user).get("/staff/reports/filings/new/")
    assert page.status_code == 403
    with pytest.raises(PermissionDeniedError):
        submit(agency_user)


def test_a_department_clerk_sees_no_filings(client_as, clerk, agency_user):
    filing = submit(agency_user)
    client = client_as(clerk)
    assert client.get("/staff/reports/filings/").status_code == 403
    assert client.get(f"/staff/reports/filings/{filing.pk}/").status_code == 404
    assert client.get(f"/staff/reports/filings/{filing.pk}/file.pdf").status_code == 404


# -- review ------------------------------------------------------------------------------


def test_review_files_returns_and_revokes(client_as, admin_user, agency_user, company):
    filing = submit(agency_user)
    client = client_as(admin_user)
    url = f"/staff/reports/filings/{filing.pk}/"
    assert client.post(url, {"action": "file"}).status_code == 302
    filing.refresh_from_db()
    assert filing.status == AgencyReport.Status.FILED and filing.filed_on == clock.today()
    assert filing.reviewed_by == admin_user
    # Filed cannot be filed or returned again.
    twice = client.post(url, {"action": "return", "reason": "x"})
    assert twice.status_code == 409 and "已备案" in twice.content.decode()
    no_reason = client.post(url, {"action": "revoke", "reason": ""})
    assert no_reason.status_code == 400
    assert client.post(url, {"action": "revoke", "reason": "报告内容不实"}).status_code == 302
    filing.refresh_from_db()
    assert filing.status == AgencyReport.Status.REVOKED and filing.reason == "报告内容不实"

    other = submit(agency_user, number="CX-2026-002")
    services.agency_report_return(actor=admin_user, filing=other, reason="缺授权书")
    with pytest.raises(ApplicationError) as failure:
        services.agency_report_file(actor=admin_user, filing=other)
    assert failure.value.status == 409
    # A returned filing may be submitted again under the same number.
    again = submit(agency_user, number="CX-2026-002")
    assert again.status == AgencyReport.Status.SUBMITTED
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"agency_report.file", "agency_report.return", "agency_report.revoke"} <= actions


def test_agency_users_cannot_review(client_as, agency_user):
    filing = submit(agency_user)
    response = client_as(agency_user).post(
        f"/staff/reports/filings/{filing.pk}/", {"action": "file"}
    )
    assert response.status_code == 403
    filing.refresh_from_db()
    assert filing.status == AgencyReport.Status.SUBMITTED


def test_review_page_shows_our_data_and_warns_on_a_good_grade(
    client_as, admin_user, agency_user, company
):
    filing = submit(agency_user, grade="AAA")
    page = client_as(admin_user).get(f"/staff/reports/filings/{filing.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="grade-warning"' in text and "测试严重失信名单" in text
    # The red list is not a black listing.
    assert "测试守合同重信用企业" not in text


def test_no_warning_for_a_low_grade_or_a_clean_subject(client_as, admin_user, agency_user, company):
    low = submit(agency_user, kind="rating", grade="B")
    clean = submit(agency_user, number="CX-2", subject_uscc=a_uscc("91429021MA49D000"))
    client = client_as(admin_user)
    assert (
        'id="grade-warning"' not in client.get(f"/staff/reports/filings/{low.pk}/").content.decode()
    )
    text = client.get(f"/staff/reports/filings/{clean.pk}/").content.decode()
    assert 'id="grade-warning"' not in text and "尚无该统一社会信用代码的主体" in text


def test_queue_and_overdue_filter_and_home_panel(client_as, admin_user, agency_user, pin_today):
    pin_today("2026-11-02")
    late = submit(agency_user, number="LATE-1", issued_on="2026-10-30", valid_until="2027-06-30")
    pin_today("2026-12-01")
    fresh = submit(agency_user, number="NEW-1", issued_on="2026-11-30", valid_until="2027-06-30")
    client = client_as(admin_user)
    queue = client.get("/staff/reports/filings/").content.decode()
    assert "LATE-1" in queue and "NEW-1" in queue
    overdue = client.get("/staff/reports/filings/?overdue=1").content.decode()
    assert "LATE-1" in overdue and "NEW-1" not in overdue
    home = client.get("/staff/").content.decode()
    assert 'id="filing-panel"' in home and "待审核 2 份" in home and "1 份已逾期" in home
    assert late.due_on < fresh.due_on


def test_the_file_is_served_to_the_reviewer_and_audited(client_as, admin_user, agency_user):
    filing = submit(agency_user)
    response = client_as(admin_user).get(f"/staff/reports/filings/{filing.pk}/file.pdf")
    assert response.status_code == 200 and response.content == PDF
    assert AuditLog.objects.filter(action="agency_report.download").count() == 1
