"""Suspending a published entry while an objection against a record it rests
on is handled, where the list type says so (`ListType.suspend_on_objection`),
and restoring it when the objection is resolved. The rights app calls these
(an `Actor` of kind system is accepted). The entry stays in force: checks
still match it; only the portal, the open data and the lists feed leave it
out meanwhile (`ListEntryQuerySet.published`, the feed's "suspended")."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core.audit import Actor
from xinyong.core.errors import ApplicationError
from xinyong.lists.audit_actions import LIST_ENTRY_RESUME, LIST_ENTRY_SUSPEND
from xinyong.lists.models import ListEntry
from xinyong.lists.services.common import (
    lock,
    required_text,
    save_transition,
    snapshot,
)
from xinyong.lists.services.removal import _ensure_actor
from xinyong.orgs.models import User


@transaction.atomic
def list_entry_suspend(
    *, actor: User | Actor, entry: ListEntry, reason: str, request: HttpRequest | None = None
) -> ListEntry:
    """Suspend the publication of a decided entry whose type allows it."""
    _ensure_actor(actor, entry)
    reason = required_text(reason, field="reason", label=_("暂停公示原因"))
    locked = lock(entry)
    if not locked.list_type.suspend_on_objection:
        raise ApplicationError(
            "no_suspension",
            _("“%(list)s”的规则不要求异议期间暂停公示") % {"list": locked.list_type.name},
        )
    if locked.status != ListEntry.Status.DECIDED or locked.publication_suspended:
        raise ApplicationError(
            "wrong_status", _("该条目不在公示中，无需暂停"), {"status": locked.status}
        )
    before = snapshot(locked)
    locked.publication_suspended = True
    return save_transition(
        actor=actor, entry=locked, before=before, fields=["publication_suspended"],
        event="suspended", action=LIST_ENTRY_SUSPEND, reason=reason, request=request,
        after={"publication_suspended": True},
    )  # fmt: skip


@transaction.atomic
def list_entry_resume(
    *, actor: User | Actor, entry: ListEntry, reason: str, request: HttpRequest | None = None
) -> ListEntry:
    """Publish a suspended entry again (the objection was resolved)."""
    _ensure_actor(actor, entry)
    reason = required_text(reason, field="reason", label=_("恢复公示原因"))
    locked = lock(entry)
    if not locked.publication_suspended:
        raise ApplicationError("not_suspended", _("该条目未暂停公示"))
    before = snapshot(locked)
    locked.publication_suspended = False
    return save_transition(
        actor=actor, entry=locked, before=before, fields=["publication_suspended"],
        event="resumed", action=LIST_ENTRY_RESUME, reason=reason, request=request,
        after={"publication_suspended": False},
    )  # fmt: skip
