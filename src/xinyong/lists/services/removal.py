"""The end of a listing: early removal (by repair; the rights app calls it),
revocation after review or litigation, and expiry (the daily job).

"In force" is computed from the date as well (`ListEntryQuerySet.in_force`),
so an expiry counts on the day after `valid_until` even before
`list_entries_expire` marks the entry; a removal or revocation counts at once.
"""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, audit_record
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.lists.audit_actions import (
    LIST_ENTRY_EXPIRE,
    LIST_ENTRY_REMOVE_EARLY,
    LIST_ENTRY_REVOKE,
)
from xinyong.lists.models import ListEntry
from xinyong.lists.services.common import (
    end,
    enqueue_change,
    ensure_entry_access,
    ensure_status,
    lock,
    required_text,
    save_transition,
    snapshot,
)
from xinyong.orgs.models import User

S = ListEntry.Status


def _ensure_actor(actor: User | Actor, entry: ListEntry) -> None:
    """A user of the deciding department or of the credit office; or the system
    (a command, or the rights app acting on an approved repair)."""
    if isinstance(actor, Actor):
        if actor.kind != ActorKind.SYSTEM:
            raise PermissionDeniedError("forbidden", _("无权移出名单"))
        return
    ensure_entry_access(actor, entry)


@transaction.atomic
def list_entry_remove_early(
    *,
    actor: User | Actor,
    entry: ListEntry,
    reason: str,
    request: HttpRequest | None = None,
) -> ListEntry:
    """Remove a listing before its end, after repair (e.g. 人社部令第45号: 6
    months after correction plus a commitment). Refused where the list type
    allows no early removal, and before `early_removal_after_months` have
    passed since the listing (with the first day it may)."""
    _ensure_actor(actor, entry)
    reason = required_text(reason, field="reason", label=_("移出原因"))
    locked = lock(entry)
    ensure_status(locked, S.DECIDED, action=_("提前移出"))
    today = clock.today()
    if not locked.in_force_on(today):
        raise ApplicationError(
            "already_expired", _("该条目已于 %(day)s 到期") % {"day": locked.valid_until}
        )
    first = locked.early_removal_from()
    if first is None:
        raise ApplicationError(
            "no_early_removal", _("“%(list)s”不适用提前移出") % {"list": locked.list_type.name}
        )
    if today < first:
        raise ApplicationError(
            "too_early",
            _("列入满 %(months)d 个月后（%(day)s 起）方可申请提前移出")
            % {"months": locked.list_type.early_removal_after_months, "day": first.isoformat()},
            {"early_removal_from": first.isoformat()},
        )
    before = snapshot(locked)
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=end(locked, S.REMOVED, reason, today),
        event="removed",
        action=LIST_ENTRY_REMOVE_EARLY,
        reason=reason,
        request=request,
    )


@transaction.atomic
def list_entry_revoke(
    *,
    actor: User | Actor,
    entry: ListEntry,
    reason: str,
    request: HttpRequest | None = None,
) -> ListEntry:
    """Revoke a listing decision after administrative review, litigation or the
    decider's own correction (the decision is void: it is as if never listed).
    Also for an entry already removed or expired, whose record it clears."""
    _ensure_actor(actor, entry)
    reason = required_text(reason, field="reason", label=_("撤销原因"))
    locked = lock(entry)
    ensure_status(locked, S.DECIDED, S.REMOVED, S.EXPIRED, action=_("撤销"))
    before = snapshot(locked)
    return save_transition(
        actor=actor,
        entry=locked,
        before=before,
        fields=end(locked, S.REVOKED, reason, clock.today()),
        event="revoked",
        action=LIST_ENTRY_REVOKE,
        reason=reason,
        request=request,
    )


@transaction.atomic
def list_entries_expire(day: dt.date) -> int:
    """Mark expired every decided entry whose `valid_until` is before `day`,
    dated the day after its `valid_until` (whenever the job runs); one outbox
    row per entry and one audit row for the run. Idempotent."""
    due = list(
        ListEntry.objects.select_for_update()
        .select_related("list_type", "subject", "decided_by")
        .filter(status=S.DECIDED, valid_until__lt=day)
        .order_by("id")
    )
    now = clock.now()
    for entry in due:
        fields = end(
            entry, S.EXPIRED, _("期满移出"), (entry.valid_until or day) + dt.timedelta(days=1)
        )
        entry.updated_at = now
        entry.save(update_fields=[*fields, "updated_at"])
        enqueue_change(entry, "expired")
    audit_record(
        action=LIST_ENTRY_EXPIRE,
        object_id=day.isoformat(),
        object_label=day.isoformat(),
        after={"date": day.isoformat(), "expired": len(due), "ids": [e.pk for e in due][:1000]},
    )
    return len(due)
