"""The registry of credit service agencies: only the credit office registers (USCC checked,
备案编号 given), suspends, revokes, restores, each audited; an agency's account is not a
government department (oversight and the lists of departments skip it); only a filed
agency orders reports."""

import pytest
from django.test import TestCase

from orgs.factories import ApiTokenFactory
from reports.conftest import a_uscc
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.models import AuditLog
from xinyong.orgs.models import Department
from xinyong.oversight import scoring
from xinyong.records.selectors.shuanggongshi import department_choices
from xinyong.reports import services
from xinyong.reports.models import Agency, Report
from xinyong.sanctions.selectors import quotas

pytestmark = pytest.mark.django_db


def test_registration_makes_the_account_and_a_filing_number(agency, admin_user):
    year = clock.today().year
    assert agency.filing_number == f"XYFW-{year}-0001"
    assert agency.status == Agency.Status.FILED and agency.filed_on == clock.today()
    assert agency.department.kind == Department.Kind.AGENCY
    assert agency.department.uscc == agency.uscc == a_uscc()
    row = AuditLog.objects.get(action="report_agency.register")
    assert row.object_id == str(agency.pk) and row.actor_id == admin_user.pk
    second = services.agency_register(
        actor=admin_user, name="第二家信用服务公司", uscc=a_uscc("91429021MA49B000")
    )
    assert second.filing_number == f"XYFW-{year}-0002"


def test_a_wrong_uscc_is_refused_in_chinese(admin_user):
    with pytest.raises(ApplicationError) as failure:
        services.agency_register(actor=admin_user, name="某信用公司", uscc="91429021MA49A00000")
    assert failure.value.code == "invalid_uscc" and "统一社会信用代码" in failure.value.message
    assert not Agency.objects.exists() and not Department.objects.filter(kind="agency").exists()


def test_the_same_uscc_cannot_be_registered_twice(agency, admin_user):
    with pytest.raises(ApplicationError) as failure:
        services.agency_register(actor=admin_user, name="另一名称", uscc=a_uscc())
    assert failure.value.status == 409


def test_a_department_clerk_may_not_register(clerk):
    with pytest.raises(PermissionDeniedError):
        services.agency_register(actor=clerk, name="某信用公司", uscc=a_uscc())


def test_registry_pages_are_the_credit_office_s(client_as, clerk, admin_user, agency):
    clerk_client = client_as(clerk)
    assert clerk_client.get("/staff/reports/agencies/").status_code == 403
    assert clerk_client.get(f"/staff/reports/agencies/{agency.pk}/").status_code == 403
    refused = clerk_client.post(
        "/staff/reports/agencies/", {"name": "某公司", "uscc": a_uscc("91429021MA49C000")}
    )
    assert refused.status_code == 403 and Agency.objects.count() == 1

    client = client_as(admin_user)
    page = client.get("/staff/reports/agencies/")
    assert page.status_code == 200 and agency.filing_number in page.content.decode()
    response = client.post(
        "/staff/reports/agencies/",
        {
            "name": "林区信用管理咨询有限公司",
            "uscc": a_uscc("91429021MA49C000"),
            "services": ["consulting"],
            "contact_phone": "0719-1234567",
        },
    )
    assert response.status_code == 302
    made = Agency.objects.get(uscc=a_uscc("91429021MA49C000"))
    assert made.services == ["consulting"]
    bad = client.post(
        "/staff/reports/agencies/",
        {"name": "坏代码公司", "uscc": "91429021MA49C00000", "services": ["report"]},
    )
    assert bad.status_code == 400 and "统一社会信用代码" in bad.content.decode()


def test_suspend_restore_revoke_are_audited_transitions(client_as, admin_user, agency):
    client = client_as(admin_user)
    url = f"/staff/reports/agencies/{agency.pk}/"
    no_reason = client.post(url, {"action": "suspend", "reason": ""})
    assert no_reason.status_code == 400 and "原因" in no_reason.content.decode()
    assert client.post(url, {"action": "suspend", "reason": "年检未报"}).status_code == 302
    agency.refresh_from_db()
    assert agency.status == Agency.Status.SUSPENDED and agency.status_reason == "年检未报"
    assert client.post(url, {"action": "restore", "reason": ""}).status_code == 302
    agency.refresh_from_db()
    assert agency.status == Agency.Status.FILED
    assert client.post(url, {"action": "revoke", "reason": "主动申请注销"}).status_code == 302
    again = client.post(url, {"action": "restore", "reason": ""})
    assert again.status_code == 409 and "已注销" in again.content.decode()
    actions = list(
        AuditLog.objects.filter(object_type="reports.Agency").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            "report_agency.register",
            "report_agency.suspend",
            "report_agency.restore",
            "report_agency.revoke",
        ]
    )


def test_a_suspended_agency_cannot_order_reports(client, company, agency, admin_user):
    token = ApiTokenFactory(department=agency.department)
    services.agency_suspend(actor=admin_user, agency=agency, reason="暂停整改")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/v1/reports",
            {"subject": "91110000600037341L", "purpose": "信易贷授信审查"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token.secret}"},
        )
    assert response.status_code == 403
    assert response.json()["code"] == "agency_not_filed" and "暂停" in response.json()["message"]


def test_oversight_and_department_lists_skip_agencies(agency, department):
    assessed = scoring.departments()
    assert department in assessed and agency.department not in assessed
    codes = [code for code, _name in department_choices()]
    assert department.short_code in codes and agency.department.short_code not in codes
    quota_ids = [row.department_id for row in quotas().departments]
    assert department.pk in quota_ids and agency.department.pk not in quota_ids


def test_a_suspended_agency_s_user_cannot_order_at_the_counter(
    client_as, company, agency, admin_user
):
    from orgs.factories import ClerkFactory

    user = ClerkFactory(username="xyfw_user", department=agency.department)
    services.agency_suspend(actor=admin_user, agency=agency, reason="暂停整改")
    response = client_as(user).post(
        "/staff/reports/",
        {"code": "91110000600037341L", "kind": "general", "purpose": "投标"},
    )
    # The counter page answers its refusals with 400 and the message.
    assert response.status_code == 400 and "暂停" in response.content.decode()
    assert not Report.objects.exists()
