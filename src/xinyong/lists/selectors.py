"""Reads of lists: what is in force (for the check) and the staff pages' reads.
What the public sees is in `lists.public`."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.db import bulk
from xinyong.core.errors import NotFoundError
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import Department, User
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
    # A feeding record under objection (records' `disputed`, set by the rights app).
    disputed: bool = False


# Plain lower-case table names from _meta: the same quoted form on both databases.
_DECIDED_SQL = (
    "SELECT e.id, e.subject_id, e.document_number, e.listed_on, e.valid_until, e.challenge, "  # noqa: S608 - table names from _meta; values bound
    "t.code, t.name, t.kind, t.removal_procedure, t.early_removal, d.name "
    f'FROM "{ListEntry._meta.db_table}" e '
    f'JOIN "{ListType._meta.db_table}" t ON t.id = e.list_type_id '
    f'JOIN "{Department._meta.db_table}" d ON d.id = e.decided_by_id '
    "WHERE {subjects} AND e.status = %s AND t.is_active = %s "
    "AND (e.valid_until IS NULL OR e.valid_until >= %s)"
)
_FED_SQL = (
    "SELECT r.id, r.subject_id, r.doc_number, r.decision_date, r.disclosure_end, r.disputed, "  # noqa: S608 - table names from _meta; values bound
    "d.name, t.code, t.name, t.kind, t.period_rule, t.removal_procedure, t.early_removal "
    f'FROM "{Record._meta.db_table}" r '
    f'JOIN "{ListType._meta.db_table}" t ON t.feed_item_id = r.item_id '
    f'JOIN "{Department._meta.db_table}" d ON d.id = r.department_id '
    "WHERE {subjects} AND r.status = %s AND t.source = %s AND t.is_active = %s "
    "AND (r.disclosure_end IS NULL OR r.disclosure_end >= %s) "
    "AND (r.decision_date IS NULL OR r.decision_date <= %s)"
)


def _date(value: dt.date | str | None) -> dt.date | None:
    """A date column read by raw SQL (SQLite answers text, PostgreSQL a date)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _conditions(procedure: str, early: str) -> str:
    """`ListType.removal_conditions` from the two columns."""
    return "；".join(p for p in (procedure, early) if p.strip())


Statement = tuple[str, list[object]]


def in_force_statements(ids: list[int], on: dt.date) -> tuple[Statement, Statement]:
    """The two statements of `entries_in_force` (SQL and parameters), also
    for the test that asserts their plans."""
    where, params = bulk.any_of("e.subject_id", ids)
    decided = (
        _DECIDED_SQL.format(subjects=where),
        [*params, ListEntry.Status.DECIDED.value, True, on],
    )
    where, params = bulk.any_of("r.subject_id", ids)
    fed = (
        _FED_SQL.format(subjects=where),
        [*params, Record.Status.ACTIVE.value, ListType.Source.CATALOG_ITEM.value, True, on, on],
    )
    return decided, fed


def entries_in_force(*, subject_ids: Iterable[int], on: dt.date | None = None) -> list[EntryView]:
    """Every listing in force on `on` (default today) of the given subjects.

    In force: an entry decided here whose status is 已决定 and whose
    `valid_until` is not past (an expiry counts from the next day even before
    the daily job marks it expired; a removal, revocation or withdrawal at
    once); a record of a feeding catalog item (SXBZX, NSXYA) that is active
    (a court's withdrawal ends it at once), decided by `on`, and inside its
    disclosure window.

    SQL intent: two statements whatever the number of subjects, each with the
    subject ids as one parameter (`core.db.bulk.any_of`): entries by
    `list_entry_in_force_idx` (subject, where decided) joined to their list
    type and department; records by the index (subject, item) joined to the
    list types their item feeds. Written out rather than built by the ORM,
    whose query building cost more than the queries on the check's hot path
    (bench/README.md).
    """
    ids = sorted({int(i) for i in subject_ids})
    if not ids:
        return []
    on = on or clock.today()
    views: list[EntryView] = []
    decided, fed = in_force_statements(ids, on)
    for (
        pk, subject_id, document_number, listed_on, valid_until, challenge,
        code, name, kind, procedure, early, decider,
    ) in bulk.select(*decided):  # fmt: skip
        views.append(
            EntryView(
                subject_id=subject_id,
                list_code=code,
                list_name=name,
                kind=kind,
                decider=decider,
                document_number=document_number,
                listed_on=_date(listed_on),
                valid_until=_date(valid_until),
                removal_conditions=_conditions(procedure, early),
                entry_id=pk,
                challenge=challenge,
            )
        )
    for (
        record_id, subject_id, doc_number, decided_on, end, disputed,
        department, code, name, kind, period_rule, procedure, early,
    ) in bulk.select(*fed):  # fmt: skip
        conditions = _conditions(procedure, early)
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
                listed_on=_date(decided_on),
                valid_until=_date(end),
                removal_conditions=conditions,
                record_id=record_id,
                disputed=bool(disputed),
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
