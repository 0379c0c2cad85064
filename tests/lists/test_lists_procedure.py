"""The procedure of 国办发〔2020〕49号, every transition and every refusal, on the
real database: propose → notify → object/answer → decide → publish → remove."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory, fed_record
from orgs.factories import ClerkFactory, DepartmentFactory
from records.factories import PenaltyRecordFactory
from xinyong.core.audit import SYSTEM
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.selectors import entries_in_force

pytestmark = pytest.mark.django_db
S = ListEntry.Status


def _refused(code, fn, **kwargs):
    with pytest.raises(ApplicationError) as exc:
        fn(**kwargs)
    assert exc.value.code == code, exc.value.message
    return exc.value


def _actions(entry):
    return list(
        AuditLog.objects.filter(object_type="lists.ListEntry", object_id=str(entry.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def proposed(clerk, list_type, subject, pin_today):
    pin_today("2025-09-29")
    return services.list_entry_propose(
        actor=clerk, list_type=list_type, subject=subject, reasons="拒不履行行政处罚决定"
    )


def test_the_whole_procedure_across_national_day(clerk, list_type, subject, pin_today, department):
    pin_today("2025-09-29")
    penalty = PenaltyRecordFactory(subject=subject, department=department)
    entry = services.list_entry_propose(
        actor=clerk,
        list_type=list_type,
        subject=subject,
        reasons="两年内受到三次较重行政处罚",
        evidence=[penalty.pk],
    )
    assert entry.status == S.PROPOSED and entry.decided_by == department
    assert entry.basis == list_type.legal_basis
    assert list(entry.evidence.all()) == [penalty]
    assert entries_in_force(subject_ids=[subject.pk]) == []  # a proposal is no listing

    pin_today("2025-09-30")
    entry = services.list_entry_notify(
        actor=clerk, entry=entry, notice_number="神市监告〔2025〕1号"
    )
    # 5 working days after 30 September, the day of service not counted: the National Day
    # holidays (1–8 October) are skipped and Saturday 11 October is a make-up working day.
    assert entry.notified_on == dt.date(2025, 9, 30)
    assert entry.objection_until == dt.date(2025, 10, 14)

    pin_today("2025-10-14")
    error = _refused(
        "window_open", services.list_entry_decide, actor=clerk, entry=entry, document_number="X"
    )
    assert "2025-10-14" in error.message and "2025-10-15" in error.message
    assert ListEntry.objects.get(pk=entry.pk).status == S.NOTIFIED

    pin_today("2025-10-15")
    entry = services.list_entry_decide(
        actor=clerk, entry=entry, document_number="神市监决〔2025〕8号", measures="限制参与政府采购"
    )
    assert entry.status == S.DECIDED
    assert entry.listed_on == dt.date(2025, 10, 15)
    assert entry.valid_until == dt.date(2028, 10, 14)  # 3 years
    [view] = entries_in_force(subject_ids=[subject.pk])  # at once
    assert view.document_number == "神市监决〔2025〕8号"

    entry = services.list_entry_publish(actor=clerk, entry=entry)
    assert entry.published_on == dt.date(2025, 10, 15)
    assert _actions(entry) == [
        "list_entry.propose",
        "list_entry.notify",
        "list_entry.decide",
        "list_entry.publish",
    ]
    events = [m.payload["event"] for m in OutboxMessage.objects.filter(key=f"ListEntry:{entry.pk}")]
    assert events == ["proposed", "notified", "decided", "published"]


def test_propose_refusals(clerk, list_type, subject, other_clerk, department, admin_user):
    _refused(
        "reasons_required",
        services.list_entry_propose,
        actor=clerk,
        list_type=list_type,
        subject=subject,
        reasons="  ",
    )
    # A department that is not among the list type's deciders.
    with pytest.raises(PermissionDeniedError):
        services.list_entry_propose(
            actor=other_clerk, list_type=list_type, subject=subject, reasons="r"
        )
    # A clerk cannot propose in another department's name.
    with pytest.raises(NotFoundError):
        services.list_entry_propose(
            actor=clerk,
            list_type=list_type,
            subject=subject,
            reasons="r",
            department=other_clerk.department,
        )
    # Fed lists are decided outside the platform.
    sxbzx = ListType.objects.get(code="SXBZX")
    _refused(
        "not_decided_here",
        services.list_entry_propose,
        actor=admin_user,
        list_type=sxbzx,
        subject=subject,
        reasons="r",
        department=department,
    )
    # Evidence: another department's record, or another subject's.
    foreign = PenaltyRecordFactory(subject=subject)
    _refused(
        "evidence_invalid",
        services.list_entry_propose,
        actor=clerk,
        list_type=list_type,
        subject=subject,
        reasons="r",
        evidence=[foreign.pk],
    )
    services.list_entry_propose(actor=clerk, list_type=list_type, subject=subject, reasons="r")
    _refused(
        "already_open",
        services.list_entry_propose,
        actor=clerk,
        list_type=list_type,
        subject=subject,
        reasons="r",
    )
    assert ListEntry.objects.count() == 1


def test_the_credit_office_proposes_for_any_department(
    admin_user, list_type, subject, other_department
):
    entry = services.list_entry_propose(
        actor=admin_user,
        list_type=list_type,
        subject=subject,
        reasons="r",
        department=other_department,
    )
    assert entry.decided_by == other_department


def test_inactive_list_type_refused(clerk, list_type, subject):
    ListType.objects.filter(pk=list_type.pk).update(is_active=False)
    list_type.refresh_from_db()
    _refused(
        "list_type_inactive",
        services.list_entry_propose,
        actor=clerk,
        list_type=list_type,
        subject=subject,
        reasons="r",
    )


def test_notice_window_is_configurable_per_list_type(clerk, subject, department, pin_today):
    lt = ListTypeFactory(code="TEN", deciders=[department], notice_workdays=10)
    pin_today("2025-09-30")
    entry = services.list_entry_propose(actor=clerk, list_type=lt, subject=subject, reasons="r")
    entry = services.list_entry_notify(actor=clerk, entry=entry)
    assert entry.objection_until == dt.date(2025, 10, 21)
    assert entry.notice_number  # generated when not given


def test_notify_refusals(clerk, proposed, other_clerk, pin_today):
    with pytest.raises(NotFoundError):
        services.list_entry_notify(actor=other_clerk, entry=proposed)
    _refused(
        "served_on_invalid",
        services.list_entry_notify,
        actor=clerk,
        entry=proposed,
        served_on=dt.date(2025, 10, 1),
    )
    _refused(
        "served_on_invalid",
        services.list_entry_notify,
        actor=clerk,
        entry=proposed,
        served_on=dt.date(2025, 9, 1),
    )
    services.list_entry_notify(actor=clerk, entry=proposed)
    _refused("wrong_status", services.list_entry_notify, actor=clerk, entry=proposed)


def test_decide_refused_before_notice(clerk, proposed):
    _refused(
        "not_notified", services.list_entry_decide, actor=clerk, entry=proposed, document_number="X"
    )


def test_objection_rejected_then_decided_after_window(clerk, proposed, pin_today):
    pin_today("2025-09-30")
    entry = services.list_entry_notify(actor=clerk, entry=proposed)
    pin_today("2025-10-10")
    entry = services.list_entry_object(actor=clerk, entry=entry, text="处罚决定已被复议撤销")
    assert entry.status == S.OBJECTED
    # 10 working days after 10 October (make-up Saturday 11 October counts).
    assert entry.objection_answer_due == dt.date(2025, 10, 23)
    assert entries_in_force(subject_ids=[entry.subject_id]) == []
    pin_today("2025-10-20")
    error = _refused(
        "objection_open", services.list_entry_decide, actor=clerk, entry=entry, document_number="X"
    )
    assert "2025-10-23" in error.message
    _refused(
        "answer_required",
        services.list_entry_answer_objection,
        actor=clerk,
        entry=entry,
        accept=False,
        answer="",
    )
    entry = services.list_entry_answer_objection(
        actor=clerk, entry=entry, accept=False, answer="经核实，复议维持原处罚决定"
    )
    assert entry.status == S.NOTIFIED
    assert entry.objection_outcome == ListEntry.ObjectionOutcome.REJECTED
    assert entry.objection_answer_late is False
    # One objection: a second one is refused.
    _refused("already_answered", services.list_entry_object, actor=clerk, entry=entry, text="again")
    entry = services.list_entry_decide(
        actor=clerk, entry=entry, document_number="神市监决〔2025〕9号"
    )
    assert entry.status == S.DECIDED
    assert "list_entry.answer_objection" in _actions(entry)


def test_objection_accepted_withdraws_the_proposal(clerk, proposed, pin_today):
    entry = services.list_entry_notify(actor=clerk, entry=proposed)
    entry = services.list_entry_object(actor=clerk, entry=entry, text="并非本公司")
    entry = services.list_entry_answer_objection(
        actor=clerk, entry=entry, accept=True, answer="异议成立"
    )
    assert entry.status == S.WITHDRAWN
    assert entry.ended_on == dt.date(2025, 9, 29)
    _refused(
        "wrong_status", services.list_entry_decide, actor=clerk, entry=entry, document_number="X"
    )


def test_late_answer_is_flagged(clerk, proposed, pin_today):
    entry = services.list_entry_notify(actor=clerk, entry=proposed)
    entry = services.list_entry_object(actor=clerk, entry=entry, text="异议")
    pin_today(entry.objection_answer_due + dt.timedelta(days=1))
    entry = services.list_entry_answer_objection(
        actor=clerk, entry=entry, accept=False, answer="不成立"
    )
    assert entry.objection_answer_late is True
    log = AuditLog.objects.filter(action="list_entry.answer_objection").get()
    assert log.after["late"] is True


def test_objection_refusals(clerk, proposed, pin_today):
    _refused("wrong_status", services.list_entry_object, actor=clerk, entry=proposed, text="x")
    entry = services.list_entry_notify(actor=clerk, entry=proposed)
    _refused("text_required", services.list_entry_object, actor=clerk, entry=entry, text=" ")
    pin_today(entry.objection_until + dt.timedelta(days=1))
    error = _refused(
        "window_closed", services.list_entry_object, actor=clerk, entry=entry, text="x"
    )
    assert entry.objection_until.isoformat() in error.message
    _refused(
        "wrong_status",
        services.list_entry_answer_objection,
        actor=clerk,
        entry=entry,
        accept=True,
        answer="x",
    )


def test_withdraw_a_proposal(clerk, proposed):
    _refused(
        "reason_required", services.list_entry_withdraw, actor=clerk, entry=proposed, reason=""
    )
    entry = services.list_entry_withdraw(actor=clerk, entry=proposed, reason="证据不足")
    assert entry.status == S.WITHDRAWN and entry.end_reason == "证据不足"
    _refused("wrong_status", services.list_entry_withdraw, actor=clerk, entry=entry, reason="x")
    # A new proposal may follow a withdrawn one.
    again = services.list_entry_propose(
        actor=clerk, list_type=entry.list_type, subject=entry.subject, reasons="新证据"
    )
    assert again.pk != entry.pk


def test_decide_requires_a_document_number_and_a_decider(clerk, proposed, pin_today, department):
    entry = services.list_entry_notify(actor=clerk, entry=proposed)
    pin_today(entry.objection_until + dt.timedelta(days=1))
    _refused(
        "document_number_required",
        services.list_entry_decide,
        actor=clerk,
        entry=entry,
        document_number=" ",
    )
    entry.list_type.deciders.remove(department)
    with pytest.raises(PermissionDeniedError):
        services.list_entry_decide(actor=clerk, entry=entry, document_number="X")


def test_publish_refusals(clerk, department):
    entry = ListEntryFactory(decided_by=department, published_on=None)
    services.list_entry_publish(actor=clerk, entry=entry)
    _refused("already_published", services.list_entry_publish, actor=clerk, entry=entry)
    hidden = ListEntryFactory(
        decided_by=department, published_on=None, list_type=ListTypeFactory(is_public=False)
    )
    _refused("list_not_public", services.list_entry_publish, actor=clerk, entry=hidden)
    proposed = ListEntryFactory(
        decided_by=department, status=S.PROPOSED, notified_on=None, objection_until=None
    )
    _refused("wrong_status", services.list_entry_publish, actor=clerk, entry=proposed)


def test_early_removal_after_its_months(clerk, department, pin_today):
    lt = ListType.objects.get(code="TQNMGGZ")  # 人社部令第45号: 6 months
    pin_today("2025-06-15")
    entry = ListEntryFactory(
        list_type=lt,
        decided_by=department,
        listed_on=dt.date(2025, 1, 31),
        valid_until=dt.date(2028, 1, 30),
    )
    error = _refused(
        "too_early", services.entry_remove_early, actor=clerk, entry=entry, reason="已改正并承诺"
    )
    assert "2025-07-31" in error.message
    pin_today("2025-07-31")
    _refused("reason_required", services.entry_remove_early, actor=clerk, entry=entry, reason="")
    entry = services.entry_remove_early(actor=clerk, entry=entry, reason="已改正并作出信用承诺")
    assert entry.status == S.REMOVED and entry.ended_on == dt.date(2025, 7, 31)
    assert entries_in_force(subject_ids=[entry.subject_id]) == []
    _refused("wrong_status", services.entry_remove_early, actor=clerk, entry=entry, reason="x")


def test_no_early_removal_where_the_list_has_none(department):
    entry = ListEntryFactory(
        decided_by=department, list_type=ListTypeFactory(early_removal_after_months=None)
    )
    _refused(
        "no_early_removal", services.entry_remove_early, actor=SYSTEM, entry=entry, reason="修复"
    )


def test_early_removal_by_the_system_actor_for_the_rights_app(department, pin_today):
    entry = ListEntryFactory(
        decided_by=department, listed_on=dt.date(2024, 1, 1), valid_until=dt.date(2026, 12, 31)
    )
    pin_today("2025-06-01")
    services.entry_remove_early(actor=SYSTEM, entry=entry, reason="信用修复")
    assert AuditLog.objects.get(action="list_entry.remove_early").actor_kind == "system"


def test_revoke_after_review(clerk, department, other_clerk):
    entry = ListEntryFactory(decided_by=department)
    with pytest.raises(NotFoundError):
        services.list_entry_revoke(actor=other_clerk, entry=entry, reason="x")
    entry = services.list_entry_revoke(
        actor=clerk, entry=entry, reason="行政复议决定撤销列入决定（神复决〔2025〕1号）"
    )
    assert entry.status == S.REVOKED
    assert entries_in_force(subject_ids=[entry.subject_id]) == []
    _refused("wrong_status", services.list_entry_revoke, actor=clerk, entry=entry, reason="x")


def test_expiry_job_marks_and_dates_expired_entries(pin_today):
    pin_today("2025-06-10")
    due = ListEntryFactory(listed_on=dt.date(2022, 6, 1), valid_until=dt.date(2025, 5, 31))
    current = ListEntryFactory()
    assert services.list_entries_expire(dt.date(2025, 6, 10)) == 1
    due.refresh_from_db()
    assert due.status == S.EXPIRED and due.ended_on == dt.date(2025, 6, 1)
    current.refresh_from_db()
    assert current.status == S.DECIDED
    assert services.list_entries_expire(dt.date(2025, 6, 10)) == 0  # idempotent
    assert AuditLog.objects.filter(action="list_entry.expire").count() == 2
    assert (
        OutboxMessage.objects.filter(key=f"ListEntry:{due.pk}", payload__event="expired").count()
        == 1
    )
    # Revocation after expiry clears the record too.
    services.list_entry_revoke(actor=SYSTEM, entry=due, reason="诉讼判决撤销")


def test_a_rolled_back_change_leaves_no_outbox_row(clerk, list_type, subject):
    before = OutboxMessage.objects.count()
    _refused(
        "reasons_required",
        services.list_entry_propose,
        actor=clerk,
        list_type=list_type,
        subject=subject,
        reasons="",
    )
    assert OutboxMessage.objects.count() == before


def test_nothing_is_listed_by_counting_records(subject, department):
    # Three serious penalties and a court's record make no decided entry by themselves.
    for n in range(3):
        PenaltyRecordFactory(
            subject=subject, department=department, doc_number=f"罚{n}", record_key=f"罚{n}"
        )
    assert not ListEntry.objects.filter(subject=subject).exists()
    fed_record(subject=subject)
    assert not ListEntry.objects.filter(subject=subject).exists()


def test_an_officer_of_another_department_sees_nothing(proposed):
    stranger = ClerkFactory(department=DepartmentFactory())
    with pytest.raises(NotFoundError):
        services.list_entry_withdraw(actor=stranger, entry=proposed, reason="x")
