"""The procedure of 国办发〔2020〕49号 for lists decided here, one service per
transition: propose → 事先告知 (notify) → 陈述申辩/异议 (object, answer) →
decide (决定书 with 信用修复告知书, 两书同达) → publish; a proposal may be
withdrawn before the decision.

Each is atomic, checks permission first, locks and checks the entry's
status, dates its step from `core.clock`, counts working days with
`core.workdays`, writes an outbox row for the provincial exchange and its
declared audit row last. The effect on checks is immediate: `entries_in_force`
reads the status.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.core.workdays import add_workdays
from xinyong.lists.audit_actions import (
    LIST_ENTRY_ANSWER,
    LIST_ENTRY_DECIDE,
    LIST_ENTRY_NOTIFY,
    LIST_ENTRY_OBJECT,
    LIST_ENTRY_PROPOSE,
    LIST_ENTRY_PUBLISH,
    LIST_ENTRY_WITHDRAW,
)
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.services.common import (
    end,
    enqueue_change,
    ensure_can_decide,
    ensure_entry_access,
    ensure_status,
    lock,
    required_text,
    save_transition,
    snapshot,
)
from xinyong.orgs.models import Department, User
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

S = ListEntry.Status


def _evidence(
    actor: User, subject: Subject, department: Department, ids: Sequence[int]
) -> list[Record]:
    """The records chosen as evidence: of this subject, active, and the deciding
    department's own (the credit office may cite any department's)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    records = Record.objects.filter(pk__in=ids, subject=subject, status=Record.Status.ACTIVE)
    if not actor.is_credit_office:
        records = records.filter(department=department)
    found = list(records)
    missing = sorted(set(ids) - {r.pk for r in found})
    if missing:
        raise ApplicationError(
            "evidence_invalid",
            _("证据：记录 %(ids)s 不存在、已撤回、不属于该主体或不属于本部门")
            % {"ids": "、".join(str(i) for i in missing)},
            {"evidence": missing},
        )
    return found


@transaction.atomic
def list_entry_propose(
    *,
    actor: User,
    list_type: ListType,
    subject: Subject,
    reasons: str,
    evidence: Sequence[int] = (),
    basis: str = "",
    department: Department | None = None,
    request: HttpRequest | None = None,
) -> ListEntry:
    """Propose to list `subject` (拟列入), with reasons and evidence (records of
    the platform). `department`: the deciding department (default the actor's)."""
    department = department or actor.department
    if department is None:
        raise ApplicationError(
            "department_required", _("认定部门：请选择认定部门"), {"department": "required"}
        )
    ensure_can_decide(actor, list_type, department)
    if not list_type.is_decided_here:
        raise ApplicationError(
            "not_decided_here",
            _("“%(list)s”的名单由%(source)s，不在本平台作出列入决定")
            % {"list": list_type.name, "source": list_type.get_source_display()},
        )
    if not list_type.is_active:
        raise ApplicationError("list_type_inactive", _("该名单类型已停用"))
    reasons = required_text(reasons, field="reasons", label=_("列入事由"))
    records = _evidence(actor, subject, department, evidence)
    now = clock.now()
    entry = ListEntry(
        list_type=list_type,
        subject=subject,
        status=S.PROPOSED,
        decided_by=department,
        reasons=reasons,
        basis=(basis or "").strip() or list_type.legal_basis,
        measures=list_type.measures,
        proposed_by=actor,
        proposed_on=clock.today(),
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ApplicationError(
            "already_open",
            _("该主体已在“%(list)s”中，或已有未结束的拟列入程序") % {"list": list_type.name},
        ) from None
    entry.evidence.set(records)
    enqueue_change(entry, "proposed")
    audit_record(
        actor=actor,
        action=LIST_ENTRY_PROPOSE,
        obj=entry,
        after={**snapshot(entry), "evidence": [r.pk for r in records]},
        reason=reasons,
        request=request,
    )
    return entry


@transaction.atomic
def list_entry_notify(
    *,
    actor: User,
    entry: ListEntry,
    notice_number: str = "",
    served_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ListEntry:
    """Serve the 事先告知书: reasons, basis, rights and the window for 陈述申辩
    or objection, `list_type.notice_workdays` working days after the day of
    service (not counted, as 行政处罚法 art. 85 counts)."""
    ensure_entry_access(actor, entry)
    locked = lock(entry)
    ensure_status(locked, S.PROPOSED, action=_("送达事先告知书"))
    today = clock.today()
    served_on = served_on or today
    if served_on > today or served_on < locked.proposed_on:
        raise ApplicationError(
            "served_on_invalid",
            _("送达日期：应在提出日期（%(proposed)s）和今天（%(today)s）之间")
            % {"proposed": locked.proposed_on.isoformat(), "today": today.isoformat()},
            {"served_on": "out_of_range"},
        )
    before = snapshot(locked)
    locked.notice_number = (notice_number or "").strip() or _(
        "告知〔%(year)d〕%(code)s-%(id)d号"
    ) % {
        "year": served_on.year,
        "code": locked.list_type.code,
        "id": locked.pk,
    }
    locked.notified_on = served_on
    locked.objection_until = add_workdays(served_on, locked.list_type.notice_workdays).date
    locked.status = S.NOTIFIED
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=["notice_number", "notified_on", "objection_until", "status"],
        event="notified",
        action=LIST_ENTRY_NOTIFY,
        request=request,
    )


@transaction.atomic
def list_entry_object(
    *,
    actor: User,
    entry: ListEntry,
    text: str,
    received_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ListEntry:
    """Record the subject's 陈述申辩 or objection, received within the window;
    the answer is due `list_type.objection_answer_workdays` working days later."""
    ensure_entry_access(actor, entry)
    text = required_text(text, field="text", label=_("异议内容"))
    locked = lock(entry)
    ensure_status(locked, S.NOTIFIED, action=_("登记异议"))
    if locked.objection_outcome:
        raise ApplicationError(
            "already_answered", _("该条目的异议已经答复，不能再次登记"), {"text": "answered"}
        )
    today = clock.today()
    received_on = received_on or today
    # 已告知 has both dates (list_entry_notified_has_window).
    notified_on, until = locked.notified_on or today, locked.objection_until or today
    if received_on > today or received_on < notified_on:
        raise ApplicationError(
            "received_on_invalid",
            _("收到日期：应在告知日期（%(notified)s）和今天之间")
            % {"notified": notified_on.isoformat()},
            {"received_on": "out_of_range"},
        )
    if received_on > until:
        raise ApplicationError(
            "window_closed",
            _("陈述申辩期已于 %(day)s 届满，不能再登记异议") % {"day": until.isoformat()},
            {"objection_until": until.isoformat()},
        )
    before = snapshot(locked)
    locked.objection_text = text
    locked.objection_received_on = received_on
    locked.objection_answer_due = add_workdays(
        received_on, locked.list_type.objection_answer_workdays
    ).date
    locked.status = S.OBJECTED
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=["objection_text", "objection_received_on", "objection_answer_due", "status"],
        event="objected",
        action=LIST_ENTRY_OBJECT,
        reason=text,
        request=request,
    )


@transaction.atomic
def list_entry_answer_objection(
    *,
    actor: User,
    entry: ListEntry,
    accept: bool,
    answer: str,
    request: HttpRequest | None = None,
) -> ListEntry:
    """Answer the objection: accepted → the proposal is withdrawn; rejected
    (with reasons) → back to 已告知, the decision still waits for the window's end."""
    ensure_entry_access(actor, entry)
    answer = required_text(answer, field="answer", label=_("答复意见"))
    locked = lock(entry)
    ensure_status(locked, S.OBJECTED, action=_("答复异议"))
    ensure_can_decide(actor, locked.list_type, locked.decided_by)
    before = snapshot(locked)
    today = clock.today()
    locked.objection_answer = answer
    locked.objection_answered_on = today
    fields = ["objection_answer", "objection_answered_on", "objection_outcome", "status"]
    if accept:
        locked.objection_outcome = ListEntry.ObjectionOutcome.ACCEPTED
        fields += end(locked, S.WITHDRAWN, answer, today)
    else:
        locked.objection_outcome = ListEntry.ObjectionOutcome.REJECTED
        locked.status = S.NOTIFIED
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=fields,
        event="objection_accepted" if accept else "objection_rejected",
        action=LIST_ENTRY_ANSWER,
        reason=answer,
        request=request,
        after={"late": locked.objection_answer_late},
    )


@transaction.atomic
def list_entry_withdraw(
    *, actor: User, entry: ListEntry, reason: str, request: HttpRequest | None = None
) -> ListEntry:
    """Withdraw a proposal before the decision (已撤回)."""
    ensure_entry_access(actor, entry)
    reason = required_text(reason, field="reason", label=_("撤回原因"))
    locked = lock(entry)
    ensure_status(locked, S.PROPOSED, S.NOTIFIED, S.OBJECTED, action=_("撤回"))
    before = snapshot(locked)
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=end(locked, S.WITHDRAWN, reason, clock.today()),
        event="withdrawn",
        action=LIST_ENTRY_WITHDRAW,
        reason=reason,
        request=request,
    )


@transaction.atomic
def list_entry_decide(
    *,
    actor: User,
    entry: ListEntry,
    document_number: str,
    measures: str = "",
    request: HttpRequest | None = None,
) -> ListEntry:
    """Decide the listing: the 决定书 (事由, 依据, 惩戒措施, 移出条件和程序, 救济途径)
    served with the 信用修复告知书 (两书同达). Refused before the window for
    陈述申辩 has ended (with its last day) and while an objection is open."""
    ensure_entry_access(actor, entry)
    document_number = required_text(document_number, field="document_number", label=_("决定书文号"))
    locked = lock(entry)
    if locked.status == S.OBJECTED:
        raise ApplicationError(
            "objection_open",
            _("异议尚未答复（答复期限 %(due)s），不能作出列入决定")
            % {
                "due": locked.objection_answer_due.isoformat()
                if locked.objection_answer_due
                else "—"
            },
        )
    if locked.status == S.PROPOSED:
        raise ApplicationError(
            "not_notified", _("尚未送达事先告知书，不能作出列入决定（国办发〔2020〕49号）")
        )
    ensure_status(locked, S.NOTIFIED, action=_("作出列入决定"))
    ensure_can_decide(actor, locked.list_type, locked.decided_by)
    today = clock.today()
    until = locked.objection_until or today  # 已告知 has it (list_entry_notified_has_window)
    if today <= until:
        raise ApplicationError(
            "window_open",
            _("陈述申辩期至 %(day)s 届满，届满后（%(next)s 起）方可作出列入决定")
            % {
                "day": until.isoformat(),
                "next": (until + dt.timedelta(days=1)).isoformat(),
            },
            {"objection_until": until.isoformat()},
        )
    before = snapshot(locked)
    locked.document_number = document_number
    locked.measures = (measures or "").strip() or locked.measures or locked.list_type.measures
    locked.listed_on = today
    locked.valid_until = locked.list_type.valid_until(today)
    locked.status = S.DECIDED
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=["document_number", "measures", "listed_on", "valid_until", "status"],
        event="decided",
        action=LIST_ENTRY_DECIDE,
        request=request,
    )


@transaction.atomic
def list_entry_publish(
    *, actor: User, entry: ListEntry, request: HttpRequest | None = None
) -> ListEntry:
    """Publish a decided entry on the portal (信用神农架)."""
    ensure_entry_access(actor, entry)
    locked = lock(entry)
    ensure_status(locked, S.DECIDED, action=_("公示"))
    if locked.published_on is not None:
        raise ApplicationError(
            "already_published",
            _("该条目已于 %(day)s 公示") % {"day": locked.published_on.isoformat()},
        )
    if not locked.list_type.is_public:
        raise ApplicationError("list_not_public", _("该名单类型设置为不在门户公示"))
    before = snapshot(locked)
    locked.published_on = clock.today()
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=["published_on"],
        event="published",
        action=LIST_ENTRY_PUBLISH,
        request=request,
    )
