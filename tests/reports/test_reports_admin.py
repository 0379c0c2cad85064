"""The credit office registers a credit service agency in the admin, audited."""

import pytest

from orgs.factories import DepartmentFactory
from xinyong.core.models import AuditLog
from xinyong.reports.models import Agency

pytestmark = pytest.mark.django_db


def test_credit_office_registers_an_agency(admin_user, client_as):
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    department = DepartmentFactory(name="神农架某信用服务有限公司", short_code="xyfw")
    client = client_as(admin_user)
    response = client.post(
        "/admin/reports/agency/add/",
        {"department": department.pk, "is_active": "on", "note": "备案号 001"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get()
    row = AuditLog.objects.get(action="report_agency.change")
    assert row.object_id == str(agency.pk) and row.actor_id == admin_user.pk
