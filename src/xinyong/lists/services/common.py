"""What every transition of a list entry shares: who may act, locking, the
state snapshot for the audit row, and the outbox message for the provincial
exchange."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import AuditAction, AuditActor, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.outbox import outbox_enqueue
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import can_access_department

OUTBOX_TOPIC = "lists.entry"


def ensure_can_decide(actor: User, list_type: ListType, department: Department) -> None:
    """Only a department among the list type's deciders (for itself) or the
    credit office proposes and decides listings (国办发〔2020〕49号: 认定单位)."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDeniedError("forbidden", _("请先登录"))
    if actor.is_credit_office:
        return
    if actor.department_id != department.pk:
        raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))
    if not list_type.deciders.filter(pk=department.pk).exists():
        raise PermissionDeniedError(
            "not_a_decider",
            _("本部门不是“%(list)s”的认定部门，不能提出或作出列入决定") % {"list": list_type.name},
        )


def ensure_entry_access(actor: User, entry: ListEntry) -> None:
    """The deciding department's staff and the credit office act on an entry;
    anyone else is told it does not exist."""
    if not can_access_department(actor, entry.decided_by_id):
        raise NotFoundError("not_found", _("未找到该名单条目，或您无权访问"))


def lock(entry: ListEntry) -> ListEntry:
    """The entry re-read under a row lock (two clerks acting at once: one wins)."""
    return (
        ListEntry.objects.select_for_update()
        .select_related("list_type", "subject", "decided_by")
        .get(pk=entry.pk)
    )


def ensure_status(entry: ListEntry, *allowed: str, action: str) -> None:
    if entry.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("该条目当前状态为“%(status)s”，不能%(action)s")
            % {"status": entry.get_status_display(), "action": action},
            {"status": entry.status},
        )


def required_text(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(
            f"{field}_required", _("%(label)s：请填写") % {"label": label}, {field: "required"}
        )
    return value


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(entry: ListEntry) -> dict[str, Any]:
    """The entry's state as the audit row's before/after."""
    return {
        "status": entry.status,
        "notified_on": _iso(entry.notified_on),
        "objection_until": _iso(entry.objection_until),
        "objection_outcome": entry.objection_outcome,
        "document_number": entry.document_number,
        "listed_on": _iso(entry.listed_on),
        "valid_until": _iso(entry.valid_until),
        "published_on": _iso(entry.published_on),
        "ended_on": _iso(entry.ended_on),
    }


def enqueue_change(entry: ListEntry, event: str) -> None:
    """The outbox row of a change, in the change's transaction: what the
    provincial platform needs to mirror the entry (no resident ID: the
    exchange reads the subject's encrypted number itself when it builds its
    format)."""
    subject = entry.subject
    outbox_enqueue(
        topic=OUTBOX_TOPIC,
        key=f"ListEntry:{entry.pk}",
        payload={
            "event": event,
            "entry_id": entry.pk,
            "list_code": entry.list_type.code,
            "list_kind": entry.list_type.kind,
            "subject_id": subject.pk,
            "subject_kind": subject.kind,
            "subject_name": subject.name,
            "subject_uscc": subject.uscc or "",
            "decided_by": entry.decided_by.name,
            "reasons": entry.reasons,
            "basis": entry.basis,
            "end_reason": entry.end_reason,
            **snapshot(entry),
        },
        idempotency_key=f"{OUTBOX_TOPIC}:{entry.pk}:{event}:{entry.updated_at.isoformat()}",
        department_id=entry.decided_by_id,
    )


def save_transition(
    *,
    actor: AuditActor,
    entry: ListEntry,
    before: dict[str, Any],
    fields: list[str],
    event: str,
    action: AuditAction,
    reason: str = "",
    request: HttpRequest | None = None,
    after: dict[str, Any] | None = None,
) -> ListEntry:
    """The end of every transition: save the changed `fields` (and
    `updated_at`, which the change feed reads), the outbox row, then the
    declared audit row last."""
    entry.updated_at = clock.now()
    entry.save(update_fields=[*fields, "updated_at"])
    enqueue_change(entry, event)
    audit_record(
        actor=actor,
        action=action,
        obj=entry,
        before=before,
        after={**snapshot(entry), **(after or {})},
        reason=reason,
        request=request,
    )
    return entry


def end(entry: ListEntry, status: str, reason: str, day: dt.date) -> list[str]:
    """Set an entry's end (withdrawn, removed, revoked, expired); the fields changed."""
    entry.status = status
    entry.ended_on = day
    entry.end_reason = reason
    return ["status", "ended_on", "end_reason"]
