"""Each transition of a repair application: who decides (谁认定谁修复, or the
credit office where the rule says), every refusal, the deadlines in working
days across 国庆 2025, the outbox and the audit rows."""

import datetime as dt

import pytest

from orgs.factories import ClerkFactory
from rights.factories import company
from rights.repair_factories import file_repair, negative_record
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.rights import services
from xinyong.rights.models import Repair, RepairRule
from xinyong.rights.repair_selectors import repair_alerts, repair_countdown, repair_queue

S = Repair.Status


@pytest.fixture
def record(department, xzcf):
    return negative_record(department=department, subject=company(), decided=dt.date(2025, 1, 2))


def test_deadlines_across_national_day(record, clerk, pin_today):
    pin_today("2025-09-30")
    r = file_repair(record).repair
    # National Day 2025-10-01…08: two working days are 10-09 and 10-10.
    assert r.accept_due == dt.date(2025, 10, 10)
    assert repair_countdown(r, dt.date(2025, 10, 9)).left == 1
    assert repair_countdown(r, dt.date(2025, 10, 13)).overdue
    pin_today("2025-10-09")
    r = services.repair_accept(actor=clerk, repair=r)
    assert r.status == S.REVIEWING
    # Ten working days from 10-09, the make-up Saturday 10-11 counted: 10-22.
    assert r.decide_due == dt.date(2025, 10, 22)
    assert repair_countdown(r, dt.date(2025, 10, 23)).late_by == 1
    assert list(repair_queue(user=clerk, overdue=True)) == []


def test_overdue_applications_escalate_to_the_credit_office(record, clerk, office_user, pin_today):
    pin_today("2025-09-30")
    file_repair(record)
    assert repair_alerts(office_user).waiting == 0  # the department's to decide
    pin_today("2025-10-13")  # past the accept deadline (10-10)
    assert repair_alerts(clerk).overdue == 1
    office = repair_alerts(office_user)
    assert (office.waiting, office.overdue) == (1, 1)


def test_the_deciding_department_decides(record, clerk, office_user, other_department, pin_today):
    pin_today("2025-06-03")
    r = file_repair(record).repair
    with pytest.raises(PermissionDeniedError) as exc:
        services.repair_accept(actor=office_user, repair=r)
    assert "谁认定、谁修复" in exc.value.message
    stranger = ClerkFactory(username="other", department=other_department)
    with pytest.raises(NotFoundError):
        services.repair_accept(actor=stranger, repair=r)
    assert repair_alerts(clerk).waiting == 1
    assert repair_alerts(office_user).waiting == 0
    services.repair_accept(actor=clerk, repair=r)


def test_the_credit_office_decides_where_the_rule_says(record, clerk, office_user, pin_today, xzcf):
    RepairRule.objects.create(
        code="office", name="信用办审核", basis="测试", item=xzcf, decider="credit_office"
    )
    pin_today("2025-06-03")
    r = file_repair(record).repair
    assert r.by_credit_office
    with pytest.raises(PermissionDeniedError):
        services.repair_accept(actor=clerk, repair=r)
    assert repair_alerts(office_user).waiting == 1
    r = services.repair_accept(actor=office_user, repair=r)
    assert r.status == S.REVIEWING


def test_refuse_needs_a_reason_and_gives_remedies(record, clerk, pin_today):
    pin_today("2025-06-03")
    r = file_repair(record).repair
    with pytest.raises(ApplicationError) as exc:
        services.repair_refuse(actor=clerk, repair=r, reason="  ")
    assert "不予受理理由" in exc.value.message
    r = services.repair_refuse(actor=clerk, repair=r, reason="申请人并非该记录的当事人")
    assert r.status == S.REFUSED and "行政复议" in r.remedies
    with pytest.raises(ApplicationError) as exc:
        services.repair_accept(actor=clerk, repair=r)
    assert exc.value.code == "wrong_status"
    # A refused application is closed: a new one may be filed.
    assert file_repair(record).repair.status == S.FILED


def test_reject_gives_reasons_and_remedies_and_the_record_stays(record, clerk, pin_today):
    pin_today("2025-06-03")
    r = file_repair(record).repair
    with pytest.raises(ApplicationError) as exc:  # not accepted yet
        services.repair_reject(actor=clerk, repair=r, reason="x")
    assert exc.value.code == "wrong_status"
    services.repair_accept(actor=clerk, repair=r)
    with pytest.raises(ApplicationError):
        services.repair_reject(actor=clerk, repair=r, reason="")
    r = services.repair_reject(actor=clerk, repair=r, reason="罚款尚未缴清")
    assert r.status == S.REJECTED and r.decided_on == dt.date(2025, 6, 3)
    assert "重新申请" in r.remedies and "行政诉讼" in r.remedies
    record.refresh_from_db()
    assert record.unpublish_reason == ""


def test_approve_needs_the_obligations_confirmed(record, clerk, pin_today):
    pin_today("2025-06-03")
    r = services.repair_accept(actor=clerk, repair=file_repair(record).repair)
    with pytest.raises(ApplicationError) as exc:
        services.repair_approve(actor=clerk, repair=r, note="同意", obligations_confirmed=False)
    assert exc.value.code == "obligations_unconfirmed"
    r = services.repair_approve(actor=clerk, repair=r, note="同意", obligations_confirmed=True)
    assert r.status == S.APPROVED
    # Training (tests/rights/test_rights_repair_links.py) is read from the records.
    assert not r.training_confirmed


def test_outbox_and_audit_of_every_step(record, clerk, pin_today):
    pin_today("2025-06-03")
    r = file_repair(record).repair
    services.repair_accept(actor=clerk, repair=r)
    services.repair_approve(actor=clerk, repair=r, note="已缴清罚款", obligations_confirmed=True)
    actions = list(
        AuditLog.objects.filter(object_type="rights.Repair", object_id=str(r.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["repair.submit", "repair.accept", "repair.approve"]
    messages = list(OutboxMessage.objects.filter(topic="rights.repair").order_by("id"))
    assert [m.payload["event"] for m in messages] == ["submit", "accept", "approve"]
    assert messages[-1].payload["status"] == "approved"
    assert messages[-1].payload["effects"]["record_ended_on"] == "2025-06-03"
    assert messages[-1].payload["doc_number"] == record.doc_number
