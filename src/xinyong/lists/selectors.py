"""Reads of lists: what is in force (for the check) and the staff pages' reads.
What the public sees is in `lists.public`."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.db import dialect
from xinyong.core.errors import NotFoundError
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import User
from xinyong.orgs.permissions import can_access_department
from xinyong.records.disclosure.windows import UNTIL_REMOVED_TEXT
from xinyong.records.models import Record
from xinyong.subjects.models import Subject


@dataclass(frozen=True, slots=True)
class EntryView:
    """One listing of one subject in force, whatever its source: an entry
    decided here (`entry_id`) or a record of a feeding catalog item (`record_id`)."""

    subject_id: int
    list_code: str
    list_name: str
    kind: str  # ListType.Kind value: red / black / watch
    decider: str  # the deciding department's name
    document_number: str
    listed_on: dt.date | None
    valid_until: dt.date | None  # None: until removed (至移除)
    removal_conditions: str
    entry_id: int | None = None
    record_id: int | None = None
    # An entry decided here under objection or repair (ListEntry.Challenge value).
    challenge: str = ""


def _subject_among(table: str, subject_ids: list[int]) -> tuple[str, list[object]]:
    """`<table>.subject_id ∈ subject_ids` as one parameter (any number of ids)."""
    d = dialect()
    return d.any_of(f"{d.quote(table)}.{d.quote('subject_id')}", subject_ids)


def entries_in_force(*, subject_ids: Iterable[int], on: dt.date | None = None) -> list[EntryView]:
    """Every listing in force on `on` (default today) of the given subjects.

    In force: an entry decided here whose status is 已决定 and whose
    `valid_until` is not past (an expiry counts from the next day even before
    the daily job marks it expired; a removal, revocation or withdrawal at
    once); a record of a feeding catalog item (SXBZX, NSXYA) that is active
    (a court's withdrawal ends it at once), decided by `on`, and inside its
    disclosure window.

    SQL intent: two statements whatever the number of subjects, each with the
    subject ids as one parameter (`Dialect.any_of`): entries by
    `list_entry_in_force_idx` (subject, where decided) joined to their list type and
    department; records by the index (subject, item) joined through the
    catalog item to the list types it feeds.
    """
    ids = sorted({int(i) for i in subject_ids})
    if not ids:
        return []
    on = on or clock.today()
    views: list[EntryView] = []
    where, params = _subject_among(ListEntry._meta.db_table, ids)
    entries = (
        ListEntry.objects.in_force(on)
        .filter(list_type__is_active=True)
        .extra(where=[where], params=params)  # noqa: S610 - SQL built from quoted names, ids bound
        .select_related("list_type", "decided_by")
        .only(
            "id",
            "subject_id",
            "document_number",
            "listed_on",
            "valid_until",
            "list_type__code",
            "list_type__name",
            "list_type__kind",
            "list_type__removal_procedure",
            "list_type__early_removal",
            "decided_by__name",
            "challenge",
        )
        .order_by()
    )
    for entry in entries:
        list_type = entry.list_type
        views.append(
            EntryView(
                subject_id=entry.subject_id,
                list_code=list_type.code,
                list_name=list_type.name,
                kind=list_type.kind,
                decider=entry.decided_by.name,
                document_number=entry.document_number,
                listed_on=entry.listed_on,
                valid_until=entry.valid_until,
                removal_conditions=list_type.removal_conditions(),
                entry_id=entry.pk,
                challenge=entry.challenge,
            )
        )
    where, params = _subject_among(Record._meta.db_table, ids)
    fed = (
        Record.objects.filter(
            Q(disclosure_end__isnull=True) | Q(disclosure_end__gte=on),
            Q(decision_date__isnull=True) | Q(decision_date__lte=on),
            status=Record.Status.ACTIVE,
            item__list_types__source=ListType.Source.CATALOG_ITEM,
            item__list_types__is_active=True,
        )
        .extra(where=[where], params=params)  # noqa: S610 - SQL built from quoted names, ids bound
        .values_list(
            "id",
            "subject_id",
            "doc_number",
            "decision_date",
            "disclosure_end",
            "department__name",
            "item__list_types__code",
            "item__list_types__name",
            "item__list_types__kind",
            "item__list_types__period_rule",
            "item__list_types__removal_procedure",
            "item__list_types__early_removal",
        )
        .order_by()
    )
    for (
        record_id,
        subject_id,
        doc_number,
        decided,
        end,
        department,
        code,
        name,
        kind,
        period_rule,
        procedure,
        early,
    ) in fed:
        conditions = "；".join(p for p in (procedure, early) if p.strip())
        if period_rule == ListType.PeriodRule.UNTIL_REMOVED and not conditions:
            conditions = str(UNTIL_REMOVED_TEXT)
        views.append(
            EntryView(
                subject_id=subject_id,
                list_code=code,
                list_name=name,
                kind=kind,
                decider=department,
                document_number=doc_number,
                listed_on=decided,
                valid_until=end,
                removal_conditions=conditions,
                record_id=record_id,
            )
        )
    views.sort(key=lambda v: (v.subject_id, v.kind != ListType.Kind.BLACK, v.list_code))
    return views


# -- staff pages -------------------------------------------------------------------


def entries_for(user: User, *, status: str = "", list_code: str = "") -> QuerySet[ListEntry]:
    """The entries a user may see: the department's own (as decider), or all
    for the credit office; newest first."""
    qs = ListEntry.objects.select_related("list_type", "subject", "decided_by").order_by(
        "-updated_at", "-id"
    )
    if not user.is_credit_office:
        qs = qs.filter(decided_by_id=user.department_id)
    if status:
        qs = qs.filter(status=status)
    if list_code:
        qs = qs.filter(list_type__code=list_code)
    return qs


def entry_get_for(user: User, pk: int) -> ListEntry:
    """One entry for a staff page; "not found" for another department's."""
    entry = entries_for(user).filter(pk=pk).first()
    if entry is None or not can_access_department(user, entry.decided_by_id):
        raise NotFoundError("not_found", _("未找到该名单条目，或您无权访问"))
    return entry


def list_types_for_proposal(user: User) -> QuerySet[ListType]:
    """The list types decided here that the user's department may propose for
    (all of them for the credit office)."""
    qs = ListType.objects.filter(is_active=True, source=ListType.Source.DECIDED)
    if not user.is_credit_office:
        qs = qs.filter(deciders=user.department_id)
    return qs.order_by("kind", "code")


def evidence_choices(user: User, subject: Subject, *, limit: int = 100) -> QuerySet[Record]:
    """Records that may be cited as evidence: the subject's active records of
    the user's department (any department's for the credit office), newest first."""
    qs = Record.objects.filter(subject=subject, status=Record.Status.ACTIVE).select_related(
        "item", "department"
    )
    if not user.is_credit_office:
        qs = qs.filter(department_id=user.department_id or 0)
    return qs.order_by("-decision_date", "-id")[:limit]


def subject_by_code(value: str) -> Subject | None:
    """A subject by its USCC, or by its platform number (`#123` or `123`)."""
    value = (value or "").strip().upper()
    if not value:
        return None
    number = value.removeprefix("#")
    if number.isdigit() and len(number) < 18:
        return Subject.objects.filter(pk=int(number)).first()
    return Subject.objects.filter(uscc=value).first()
