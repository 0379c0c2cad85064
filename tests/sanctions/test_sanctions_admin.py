"""The credit office edits domains, memoranda and measures in the admin; audited; no deletes."""

import pytest

from xinyong.core.models import AuditLog
from xinyong.sanctions.models import ActionDomain, Memorandum

pytestmark = pytest.mark.django_db


def test_credit_office_edits_a_domain_and_the_check_sees_it(client_as, admin_user):
    admin_user.is_staff = True
    admin_user.save()
    client = client_as(admin_user)
    assert client.get("/admin/sanctions/memorandum/").status_code == 200
    domain = ActionDomain.objects.get(code="ZFCG")
    response = client.post(
        f"/admin/sanctions/actiondomain/{domain.pk}/change/",
        {
            "code": "ZFCG",
            "name": "政府采购",
            "note": domain.note,
            "feedback_workdays": 10,
            "order": 2,
        },
    )
    assert response.status_code == 302
    assert ActionDomain.objects.get(code="ZFCG").feedback_workdays == 10
    from xinyong.sanctions.reference import domain_get

    assert domain_get("ZFCG").feedback_workdays == 10  # the per-process copy was forgotten
    row = AuditLog.objects.get(action="sanctions_reference.change")
    assert row.after == {"fields": ["feedback_workdays"], "created": False}
    memo = Memorandum.objects.first()
    assert client.get(f"/admin/sanctions/memorandum/{memo.pk}/delete/").status_code == 403


def test_a_department_user_cannot(client_as, clerk):
    clerk.is_staff = True
    clerk.save()
    assert client_as(clerk).get("/admin/sanctions/memorandum/").status_code == 403
