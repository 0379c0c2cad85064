"""An objection's (and a repair application's) effect on list entries: checks
see the entries resting on a contested record marked (lists' `challenge`:
异议处理中 / 信用修复中) while the application is open. And while an objection against a record
is accepted and open, the published entries resting on that record (their
evidence) whose list type says so are not published (lists'
`list_entry_suspend`); they are published again when no accepted objection
on the record is left open (`list_entry_resume`)."""

from django.utils.translation import gettext as _

from xinyong.core.audit import Actor, ActorKind
from xinyong.lists.models import ListEntry
from xinyong.lists.services.challenge import list_entry_challenge
from xinyong.lists.services.suspension import list_entry_resume, list_entry_suspend
from xinyong.rights.models import Objection


def _system(objection: Objection) -> Actor:
    # Lists act for the platform: the entry's decider may be another department.
    return Actor(
        kind=ActorKind.SYSTEM, label=_("系统（异议 %(number)s）") % {"number": objection.number}
    )


def entries_suspend(objection: Objection) -> list[int]:
    """Suspend the entries the objection's record supports; their ids."""
    entries = ListEntry.objects.filter(
        evidence=objection.record_id,
        status=ListEntry.Status.DECIDED,
        list_type__suspend_on_objection=True,
        publication_suspended=False,
    ).order_by("id")
    reason = _("对其依据的记录提出的异议已受理（%(number)s），异议处理期间暂停公示") % {
        "number": objection.number
    }
    done = []
    for entry in entries:
        list_entry_suspend(actor=_system(objection), entry=entry, reason=reason)
        done.append(entry.pk)
    entries_mark(record_id=objection.record_id, challenge="objection", actor=_system(objection))
    return done


def entries_resume(objection: Objection) -> list[int]:
    """Publish again the suspended entries the record supports; their ids."""
    entries = ListEntry.objects.filter(
        evidence=objection.record_id, publication_suspended=True
    ).order_by("id")
    reason = _("异议已办结（%(number)s），恢复公示") % {"number": objection.number}
    done = []
    for entry in entries:
        list_entry_resume(actor=_system(objection), entry=entry, reason=reason)
        done.append(entry.pk)
    entries_clear(record_id=objection.record_id, challenge="objection", actor=_system(objection))
    return done


def entries_mark(*, record_id: int, challenge: str, actor: Actor) -> list[int]:
    """Tell checks that the entries resting on a record are contested:
    `challenge` "objection" or "repair" on the decided entries, or "" to
    clear the marks this kind of application set (lists'
    `list_entry_challenge`); their ids."""
    entries = ListEntry.objects.filter(evidence=record_id).order_by("id")
    if challenge:
        entries = entries.filter(status=ListEntry.Status.DECIDED).exclude(challenge=challenge)
    done = []
    for entry in entries:
        list_entry_challenge(actor=actor, entry=entry, challenge=challenge)
        done.append(entry.pk)
    return done


def entries_clear(*, record_id: int, challenge: str, actor: Actor) -> list[int]:
    """Clear the `challenge` marks ("objection" or "repair") on the entries resting on a record."""
    done = []
    for entry in ListEntry.objects.filter(evidence=record_id, challenge=challenge).order_by("id"):
        list_entry_challenge(actor=actor, entry=entry, challenge="")
        done.append(entry.pk)
    return done
