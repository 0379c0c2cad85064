"""A listing in force under objection or repair: the check shows it beside the hit.

国办发〔2020〕49号 (十五)(十六): a listed subject may object to the listing or
apply for credit repair. While either is being handled the listing stays in
force (nothing is lifted before a decision), but an officer who checks the
subject is told (异议处理中 / 信用修复申请处理中). The rights app sets the
state when it accepts such a request and clears it when it closes it.
"""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, audit_record
from xinyong.core.errors import ApplicationError
from xinyong.lists.audit_actions import LIST_ENTRY_CHALLENGE
from xinyong.lists.models import ListEntry
from xinyong.lists.services.common import ensure_status, lock
from xinyong.lists.services.removal import _ensure_actor
from xinyong.orgs.models import User

Challenge = ListEntry.Challenge


@transaction.atomic
def list_entry_challenge(
    *,
    actor: User | Actor,
    entry: ListEntry,
    challenge: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> ListEntry:
    """Mark a decided entry under objection or repair (`challenge`
    "objection" / "repair"), or clear the mark (""). The actor is the system
    (the rights app) or the deciding department / the credit office. Setting
    the state it already has changes nothing and writes nothing."""
    _ensure_actor(actor, entry)
    if challenge not in Challenge.values:
        raise ApplicationError(
            "invalid_challenge",
            _("异议/修复状态只能是：%(valid)s")
            % {"valid": "、".join(f"{c.value or '空'}（{c.label}）" for c in Challenge)},
            {"challenge": "invalid"},
        )
    locked = lock(entry)
    if challenge:
        ensure_status(locked, ListEntry.Status.DECIDED, action=_("标记异议或信用修复"))
    if locked.challenge == challenge:
        return locked
    before = {"challenge": locked.challenge}
    locked.challenge = challenge
    locked.updated_at = clock.now()
    locked.save(update_fields=["challenge", "updated_at"])
    audit_record(
        actor=actor,
        action=LIST_ENTRY_CHALLENGE,
        obj=locked,
        before=before,
        after={"challenge": challenge},
        reason=(reason or "").strip(),
        request=request,
    )
    return locked
