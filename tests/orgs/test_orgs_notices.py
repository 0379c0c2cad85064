"""Notices (issue 14 §8): shown on the staff home of the department they are
for, and emailed to its users after the change commits."""

import pytest
from django.core import mail
from django.db import transaction

from xinyong.core.models import AuditLog
from xinyong.orgs.models import Notice
from xinyong.orgs.notices import notice_send


@pytest.fixture
def with_emails(clerk, other_clerk, admin_user):
    for user, address in (
        (clerk, "clerk@example.cn"),
        (other_clerk, "other@example.cn"),
        (admin_user, "office@example.cn"),
    ):
        user.email = address
        user.save()


def test_a_notice_reaches_its_department_only(
    department,
    clerk,
    other_clerk,
    admin_user,
    client_as,
    with_emails,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(
            department=department,
            title="异议 Y2026-0001 已转本部门核查",
            body="请在 10 个工作日内核查",
            link="/staff/rights/objections/",
            email_to="applicant@example.cn",
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["applicant@example.cn", "clerk@example.cn"]
    assert mail.outbox[0].subject == "异议 Y2026-0001 已转本部门核查"
    assert "异议 Y2026-0001 已转本部门核查" in client_as(clerk).get("/staff/").content.decode()
    assert "异议 Y2026-0001" not in client_as(other_clerk).get("/staff/").content.decode()
    assert "异议 Y2026-0001" not in client_as(admin_user).get("/staff/").content.decode()
    assert AuditLog.objects.filter(action="notice.send").count() == 1


def test_a_notice_to_the_credit_office(
    admin_user, clerk, client_as, with_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(department=None, title="3 件异议已逾期")
    assert [m.to for m in mail.outbox] == [["office@example.cn"]]
    assert "3 件异议已逾期" in client_as(admin_user).get("/staff/").content.decode()
    assert "3 件异议已逾期" not in client_as(clerk).get("/staff/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing(department, with_emails):
    with pytest.raises(RuntimeError), transaction.atomic():
        notice_send(department=department, title="不会发出")
        raise RuntimeError
    assert mail.outbox == []
    assert not Notice.objects.exists()
