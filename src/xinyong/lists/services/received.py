"""Listings decided outside the platform and received from the provincial or
national platform (the exchange's inbound feeds: 失信被执行人, 重大税收违法,
repair results).

The deciding body (a court, the tax authority) went through its own
procedure, so a received listing starts 已决定; it is kept by the credit
office (`decided_by`), with the body's name in its reasons. Both services
are idempotent: the same listing received again (same list type, subject
and decision number, same content) changes nothing and writes no audit row,
so a repeated feed leaves the data as it was. Nothing is sent back to the
province (it is the source), so no outbox row is written.
"""

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, audit_record
from xinyong.core.errors import ApplicationError
from xinyong.lists.audit_actions import LIST_ENTRY_RECEIVE, LIST_ENTRY_RECEIVE_END
from xinyong.lists.models import OPEN_STATUSES, ListEntry, ListType
from xinyong.lists.services.common import end, snapshot
from xinyong.orgs.models import Department
from xinyong.subjects.models import Subject

S = ListEntry.Status


class Received(NamedTuple):
    entry: ListEntry | None
    changed: bool


def _credit_office() -> Department:
    office = Department.objects.filter(kind=Department.Kind.CREDIT_OFFICE).order_by("pk").first()
    if office is None:
        raise ApplicationError("no_credit_office", _("平台尚未设置信用办，无法接收名单"))
    return office


@transaction.atomic
def list_entry_receive(
    *,
    actor: Actor,
    list_type: ListType,
    subject: Subject,
    document_number: str,
    listed_on: dt.date,
    valid_until: dt.date | None,
    reasons: str,
    basis: str,
    decided_by_name: str,
    source: str,
) -> Received:
    """A listing as the province sends it: created 已决定 (and published, where
    the list type is public), updated if its content changed, untouched if not."""
    if not document_number.strip():
        raise ApplicationError("document_number_required", _("决定书文号：推送数据缺少决定书文号"))
    if valid_until is not None and valid_until < listed_on:
        raise ApplicationError("valid_before_listed", _("有效期至早于列入日期"))
    # The deciding body's name, not the item's source: the same listing
    # received under another item id reads the same.
    text = (
        _("%(reasons)s（%(body)s认定，省级平台推送）")
        % {"reasons": reasons, "body": decided_by_name}
        if decided_by_name
        else reasons
    )
    existing = (
        ListEntry.objects.select_for_update()
        .filter(list_type=list_type, subject=subject, document_number=document_number)
        .order_by("-pk")
        .first()
    )
    if existing is None:
        if ListEntry.objects.filter(
            list_type=list_type, subject=subject, status__in=OPEN_STATUSES
        ).exists():
            raise ApplicationError(
                "already_open",
                _("该主体在“%(list)s”中已有本平台办理中的条目，请人工核对")
                % {"list": list_type.name},
            )
        now = clock.now()
        entry = ListEntry.objects.create(
            list_type=list_type,
            subject=subject,
            status=S.DECIDED,
            decided_by=_credit_office(),
            reasons=text,
            basis=basis or _("（推送数据未载明）"),
            proposed_on=listed_on,
            # The deciding body served its own notice: the window is its, closed.
            notified_on=listed_on,
            objection_until=listed_on,
            document_number=document_number,
            listed_on=listed_on,
            valid_until=valid_until,
            published_on=clock.today() if list_type.is_public else None,
            created_at=now,
            updated_at=now,
        )
        audit_record(
            actor=actor, action=LIST_ENTRY_RECEIVE, obj=entry, after=snapshot(entry), reason=source
        )
        return Received(entry, True)
    wanted = {"reasons": text, "listed_on": listed_on, "valid_until": valid_until}
    if existing.status != S.DECIDED or all(
        getattr(existing, field) == value for field, value in wanted.items()
    ):
        # Unchanged, or ended here since (a received removal): the same feed again changes nothing.
        return Received(existing, False)
    before = snapshot(existing)
    for field, value in wanted.items():
        setattr(existing, field, value)
    existing.updated_at = clock.now()
    existing.save(update_fields=[*wanted, "updated_at"])
    audit_record(
        actor=actor,
        action=LIST_ENTRY_RECEIVE,
        obj=existing,
        before=before,
        after=snapshot(existing),
        reason=source,
    )
    return Received(existing, True)


@transaction.atomic
def list_entry_receive_end(
    *,
    actor: Actor,
    list_type: ListType,
    subject: Subject,
    document_number: str,
    ended_on: dt.date,
    reason: str,
    source: str,
    repaired: bool = False,
) -> Received:
    """A listing the province ended (removed after performance or repair,
    revoked): the entry ends here too; an entry already ended, or unknown,
    is left as it is (the same removal again changes nothing)."""
    entry = (
        ListEntry.objects.select_for_update()
        .filter(list_type=list_type, subject=subject, document_number=document_number)
        .order_by("-pk")
        .first()
    )
    if entry is None:
        raise ApplicationError(
            "entry_unknown", _("未找到该名单条目（%(number)s）") % {"number": document_number}
        )
    if entry.status != S.DECIDED:
        return Received(entry, False)
    before = snapshot(entry)
    fields = end(
        entry, S.REMOVED, reason or (_("信用修复") if repaired else _("省级平台移出")), ended_on
    )
    entry.updated_at = clock.now()
    entry.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action=LIST_ENTRY_RECEIVE_END,
        obj=entry,
        before=before,
        after=snapshot(entry),
        reason=source,
    )
    return Received(entry, True)
