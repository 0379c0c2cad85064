"""Each transition of an objection: who may act, every refusal, the
deadlines in working days (across 国庆 2025), the record's 异议处理中 mark,
the outcome's effect on the record, the outbox and the audit rows."""

import datetime as dt

import pytest
from django.test import override_settings

from rights.factories import company, file_objection, public_record
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.records.models import Record
from xinyong.rights import services
from xinyong.rights.models import Objection
from xinyong.rights.selectors import countdown, objection_queue

S = Objection.Status


def _verifying(record, office_user):
    o = file_objection(record).objection
    services.objection_accept(actor=office_user, objection=o)
    return services.objection_route(actor=office_user, objection=o)


def test_accept_marks_the_record_and_close_clears_it(record, office_user, clerk):
    o = file_objection(record).objection
    o = services.objection_accept(actor=office_user, objection=o)
    assert o.status == S.ACCEPTED
    record.refresh_from_db()
    assert record.disputed is True
    o = services.objection_route(actor=office_user, objection=o)
    assert o.status == S.VERIFYING
    o = services.objection_verify(
        actor=clerk, objection=o, outcome=S.UPHELD, note="记录与原决定书一致"
    )
    assert o.status == S.UPHELD
    record.refresh_from_db()
    assert record.disputed is True  # still open until the reply
    o = services.objection_close(
        actor=office_user, objection=o, reply="经核查，该记录准确，予以维持"
    )
    assert o.status == S.CLOSED
    assert "行政复议" in o.remedies
    record.refresh_from_db()
    assert record.disputed is False
    actions = list(
        AuditLog.objects.filter(object_type="rights.Objection", object_id=str(o.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "objection.submit",
        "objection.accept",
        "objection.route",
        "objection.verify",
        "objection.close",
    ]
    events = [
        m.payload["event"]
        for m in OutboxMessage.objects.filter(topic="rights.objection").order_by("id")
    ]
    assert events == ["submit", "accept", "route", "verify", "close"]


def test_refuse_needs_a_reason_and_gives_remedies(record, office_user):
    o = file_objection(record).objection
    with pytest.raises(ApplicationError) as exc:
        services.objection_refuse(actor=office_user, objection=o, reason=" ")
    assert "不予受理理由" in exc.value.message
    o = services.objection_refuse(actor=office_user, objection=o, reason="异议理由与记录无关")
    assert o.status == S.REFUSED
    assert o.closed_on is not None and "行政诉讼" in o.remedies
    record.refresh_from_db()
    assert record.disputed is False
    with pytest.raises(ApplicationError) as exc:
        services.objection_accept(actor=office_user, objection=o)
    assert exc.value.code == "wrong_status"


def test_needs_more_then_accept(record, office_user):
    o = file_objection(record).objection
    with pytest.raises(ApplicationError):
        services.objection_request_more(actor=office_user, objection=o, note="")
    o = services.objection_request_more(actor=office_user, objection=o, note="请补充复议决定书")
    assert o.status == S.NEEDS_MORE
    with pytest.raises(ApplicationError):
        services.objection_request_more(actor=office_user, objection=o, note="再补")
    assert services.objection_accept(actor=office_user, objection=o).status == S.ACCEPTED


def test_revoked_withdraws_the_record(record, office_user, clerk):
    o = _verifying(record, office_user)
    o = services.objection_verify(
        actor=clerk, objection=o, outcome=S.REVOKED, note="处罚决定已被复议撤销"
    )
    record.refresh_from_db()
    assert record.status == Record.Status.WITHDRAWN
    assert o.number in record.withdrawn_reason
    assert not Record.objects.publicly_visible().filter(pk=record.pk).exists()
    services.objection_close(actor=office_user, objection=o, reply="已撤销该记录")
    record.refresh_from_db()
    assert record.disputed is False


def test_corrected_keeps_the_note(record, office_user, clerk):
    o = _verifying(record, office_user)
    with pytest.raises(ApplicationError) as exc:
        services.objection_verify(
            actor=clerk, objection=o, outcome=S.CORRECTED, note="罚款金额录入有误"
        )
    assert exc.value.code == "corrections_required"
    o = services.objection_verify(
        actor=clerk, objection=o, outcome=S.CORRECTED, note="罚款金额录入有误，已更正",
        corrections={"fine_amount": "0.05", "处罚内容": "罚款人民币500元"},
    )  # fmt: skip
    assert o.verification_note == "罚款金额录入有误，已更正"
    record.refresh_from_db()
    assert record.revision == 2
    assert (
        record.data["fine_amount"] == "0.05" and record.data["penalty_content"] == "罚款人民币500元"
    )
    assert o.number in record.correction_reason
    assert record.revisions.get().data["fine_amount"] == "0.5"
    with pytest.raises(ApplicationError) as exc:
        services.objection_verify(actor=clerk, objection=o, outcome=S.UPHELD, note="再次")
    assert exc.value.code == "wrong_status"


def test_verify_refusals(record, office_user, clerk):
    o = file_objection(record).objection
    with pytest.raises(ApplicationError) as exc:  # not yet routed
        services.objection_verify(actor=clerk, objection=o, outcome=S.UPHELD, note="x")
    assert exc.value.code == "wrong_status"
    services.objection_accept(actor=office_user, objection=o)
    o = services.objection_route(actor=office_user, objection=o)
    with pytest.raises(ApplicationError) as exc:
        services.objection_verify(actor=clerk, objection=o, outcome="closed", note="x")
    assert exc.value.code == "invalid_outcome"
    with pytest.raises(ApplicationError) as exc:
        services.objection_verify(actor=clerk, objection=o, outcome=S.UPHELD, note="")
    assert "核查意见" in exc.value.message
    with pytest.raises(ApplicationError) as exc:  # close before the conclusion
        services.objection_close(actor=office_user, objection=o, reply="答复")
    assert exc.value.code == "wrong_status"
    with pytest.raises(ApplicationError):  # route twice
        services.objection_route(actor=office_user, objection=o)


def test_department_staff_cannot_accept_and_others_see_nothing(
    record, clerk, other_clerk, office_user
):
    o = file_objection(record).objection
    with pytest.raises(PermissionDeniedError):
        services.objection_accept(actor=clerk, objection=o)
    with pytest.raises(NotFoundError):
        services.objection_accept(actor=other_clerk, objection=o)
    services.objection_accept(actor=office_user, objection=o)
    o = services.objection_route(actor=office_user, objection=o)
    with pytest.raises(NotFoundError):
        services.objection_verify(actor=other_clerk, objection=o, outcome=S.UPHELD, note="x")
    assert list(objection_queue(user=other_clerk)) == []
    assert list(objection_queue(user=clerk)) == [o]
    assert list(objection_queue(user=office_user)) == [o]


def test_deadlines_count_working_days_across_national_day(department, xzcf, office_user, pin_today):
    # Filed on Monday 2025-09-29: 国庆 2025-10-01…08 off, Saturday 2025-10-11 a working day.
    pin_today("2025-09-29")
    record = public_record(department=department, subject=company())
    o = file_objection(record).objection
    # 2 working days, the day of filing not counted: 09-30, then 10-09 after the holiday
    assert o.accept_due == dt.date(2025, 10, 9)
    # 15: 09-30, 10-09, 10-10, 10-11 (Saturday), 10-13…17, 10-20…24, 10-27
    assert o.reply_due == dt.date(2025, 10, 27)
    pin_today("2025-09-30")
    services.objection_accept(actor=office_user, objection=o)
    o = services.objection_route(actor=office_user, objection=o)
    assert o.verify_due == dt.date(2025, 10, 21)  # 10 working days after 09-30
    pin_today("2025-10-08")  # a holiday: all 10 working days still left
    assert countdown(o).left == 10
    assert not countdown(o).overdue
    pin_today("2025-10-22")
    assert countdown(o).overdue
    assert list(objection_queue(user=office_user, overdue=True)) == [o]


@override_settings(XINYONG_OBJECTION_ACCEPT_WORKDAYS=5)
def test_deadlines_are_configurable(department, xzcf, pin_today):
    pin_today("2025-09-29")
    record = public_record(department=department, subject=company())
    # 09-30, 10-09, 10-10, 10-11, 10-13
    assert file_objection(record).objection.accept_due == dt.date(2025, 10, 13)


def test_a_refused_objection_can_be_filed_again(record, office_user):
    o = file_objection(record).objection
    services.objection_refuse(actor=office_user, objection=o, reason="材料不全")
    assert file_objection(record).objection.pk != o.pk
