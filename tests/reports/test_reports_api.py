"""The API for credit service agencies: order, poll, download; only registered agencies;
the subject's register lists who asked and why."""

import pytest
from django.test import TestCase

from orgs.factories import ApiTokenFactory, DepartmentFactory
from support.tasks import run_ready_tasks
from xinyong.core.models import AuditLog
from xinyong.reports.models import Agency, Report
from xinyong.reports.selectors import reports_for_subject
from xinyong.reports.signing import verify_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_token(db):
    department = DepartmentFactory(
        name="神农架某信用服务有限公司", short_code="xyfw", kind="public_service"
    )
    Agency.objects.create(department=department, note="备案号 001")
    return ApiTokenFactory(department=department)


def post(client, token, body):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/api/v1/reports",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token.secret}"},
        )


def test_agency_orders_polls_and_downloads_a_signed_report(client, company, agency_token):
    response = post(
        client, agency_token, {"subject": "91110000600037341L", "purpose": "信易贷授信审查"}
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["subject"] == "神农架林区某某建材有限公司"
    auth = {"Authorization": f"Bearer {agency_token.secret}"}
    early = client.get(body["download_url"], headers=auth)
    assert early.status_code == 409 and early.json()["code"] == "not_issued"

    assert run_ready_tasks() == 1
    status = client.get(body["status_url"], headers=auth).json()
    assert status["status"] == "issued" and len(status["sha256"]) == 64
    pdf = client.get(body["download_url"], headers=auth)
    assert pdf.status_code == 200
    verdict = verify_file(pdf.content)
    assert verdict.valid and verdict.number == body["number"]

    report = Report.objects.get(number=body["number"])
    assert report.requested_token == agency_token and report.channel == "api"
    assert list(reports_for_subject(company)) == [report]
    actions = set(
        AuditLog.objects.filter(object_id=str(report.pk), object_type="reports.Report").values_list(
            "action", flat=True
        )
    )
    assert actions == {"report.request", "report.issue", "report.download"}


def test_a_department_that_is_not_an_agency_is_refused(client, company, department):
    token = ApiTokenFactory(department=department)
    response = post(client, token, {"subject": "91110000600037341L", "purpose": "核查"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_agency"
    assert not Report.objects.exists()


def test_bad_input_answers_in_chinese(client, company, agency_token):
    response = post(
        client,
        agency_token,
        {"subject": "91110000600037341L", "purpose": "核查", "kind": "special"},
    )
    assert response.status_code == 400 and "1 至 5 年" in response.json()["message"]
    response = post(client, agency_token, {"subject": "91350200776049653A", "purpose": "核查"})
    assert response.status_code == 404 and response.json()["message"].startswith("未找到")
    response = post(
        client,
        agency_token,
        {
            "subject": "91110000600037341L",
            "purpose": "核查",
            "kind": "special",
            "years": 2,
            "areas": ["nope"],
        },
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_area"
    other = ApiTokenFactory(department=DepartmentFactory(short_code="other"))
    Agency.objects.create(department=other.department)
    ok = post(client, agency_token, {"subject": "91110000600037341L", "purpose": "核查"}).json()
    # Another agency cannot read it.
    response = client.get(ok["status_url"], headers={"Authorization": f"Bearer {other.secret}"})
    assert response.status_code == 404
