"""A subject's public page: who it is and its public records, grouped by item."""

import datetime as dt
import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import Department
from xinyong.records.models import Record, publicly_visible_condition
from xinyong.records.selectors.public import KINDS, Kind, PublicRecord, public_view
from xinyong.subjects.models import Subject, SubjectIdentifier

# Records shown per group; the 双公示 list (filtered by subject) shows the rest.
SUBJECT_PAGE_RECORDS = 50
# Records read for one page at most, whatever a subject holds.
SUBJECT_PAGE_READ_MAX = 1000

# What a subject page reads of a record: `public_view` without its fields.
_RECORD_COLUMNS = (
    "id",
    "item_id",
    "version_id",
    "department_id",
    "subject_id",
    "doc_number",
    "decision_date",
    "data",
    "disclosure_end",
    "disputed",
    "updated_at",
)


@dataclass(slots=True)
class SubjectRecords:
    kind: Kind | None
    label: str
    records: list[PublicRecord]
    more: bool  # more than SUBJECT_PAGE_RECORDS


@dataclass(slots=True)
class SubjectPage:
    subject: Subject
    identifiers: list[SubjectIdentifier]
    groups: list[SubjectRecords]
    per_group: int  # records shown per group at most


def subject_page(pk: int) -> SubjectPage:
    """A subject's public page: organisations and individual businesses only
    (a natural person has none). Two queries whatever the subject holds: the
    subject with its identifiers (one LEFT JOIN), then its public records,
    newest first, each group at most SUBJECT_PAGE_RECORDS, with only the
    columns the page shows. The 双公示 groups come first, even when empty."""
    with connection.cursor() as cursor:
        # Not through the ORM: building this query cost about as much as the
        # record statement's (see subject_records_statement).
        cursor.execute(
            "SELECT s.kind, s.name, s.uscc, i.kind, i.value FROM subjects_subject s "
            "LEFT JOIN subjects_subjectidentifier i ON i.subject_id = s.id "
            # pending_batch_id: not a subject of an unfinished import.
            "WHERE s.id = %s AND s.kind <> %s AND s.pending_batch_id IS NULL ORDER BY 4, 5",
            [pk, Subject.Kind.PERSON.value],
        )
        rows = cursor.fetchall()
    if not rows:
        raise NotFoundError("not_found", _("未找到该信用主体"))
    kind, name, uscc = rows[0][:3]
    subject = Subject(pk=pk, kind=kind, name=name, uscc=uscc)
    identifiers = [
        SubjectIdentifier(subject=subject, kind=id_kind, value=value)
        for *_subject, id_kind, value in rows
        if id_kind is not None
    ]
    groups = {
        k.item_code: SubjectRecords(kind=k, label=str(k.label), records=[], more=False)
        for k in KINDS.values()
    }
    statement = subject_records_statement(clock.today())
    params = list(statement.params)
    params[statement.subject_at] = pk
    items: dict[int, CatalogItem] = {}
    departments: dict[int, Department] = {}
    for record in Record.objects.raw(statement.sql, params):
        record.subject = subject
        record.item = items.get(record.item_id) or items.setdefault(
            record.item_id,
            # item_code_ … department_name_: columns of the raw statement.
            CatalogItem(
                pk=record.item_id,
                code=record.item_code_,  # type: ignore[attr-defined]  # raw column
                name=record.item_name_,  # type: ignore[attr-defined]  # raw column
                current_version_id=record.item_current_version_id_,  # type: ignore[attr-defined]  # raw column
            ),
        )
        record.department = departments.get(record.department_id) or departments.setdefault(
            record.department_id,
            Department(
                pk=record.department_id,
                short_code=record.department_code_,  # type: ignore[attr-defined]  # raw column
                name=record.department_name_,  # type: ignore[attr-defined]  # raw column
            ),
        )
        group = groups.get(record.item.code)
        if group is None:
            group = groups[record.item.code] = SubjectRecords(
                kind=None, label=record.item.name, records=[], more=False
            )
        if len(group.records) >= SUBJECT_PAGE_RECORDS:
            group.more = True
            continue
        group.records.append(public_view(record))
    return SubjectPage(
        subject=subject,
        identifiers=identifiers,
        groups=list(groups.values()),
        per_group=SUBJECT_PAGE_RECORDS,
    )


class Statement(NamedTuple):
    """SQL compiled by the ORM, reusable with another subject id."""

    sql: str
    params: tuple[object, ...]
    subject_at: int  # where the subject id is among the params


# Stands for the subject's id while the ORM compiles the statement: no
# subject has a negative id, and `subject_at` records where it landed.
_ANY_SUBJECT = -7_654_321


@functools.lru_cache(maxsize=4)
def subject_records_statement(day: dt.date) -> Statement:
    """The subject page's record query on `day`, compiled once per day and
    process: public records (`publicly_visible_condition`, the one definition
    of what is public) of one subject, newest first, with only the columns the
    page shows and its item and department names.

    Kept because it is measured: compiling this query through the ORM on every
    request cost more than the rest of the page together (bench/README.md,
    "records: the subject page"). Everything else on the public paths is
    plain ORM.
    """
    query = (
        Record.objects.filter(publicly_visible_condition(day))
        .filter(subject_id=_ANY_SUBJECT)
        .only(*_RECORD_COLUMNS)
        .annotate(
            item_code_=F("item__code"),
            item_name_=F("item__name"),
            # The public view applies the strictest of the record's version
            # and the item's current one (public._strictest_fields).
            item_current_version_id_=F("item__current_version_id"),
            department_code_=F("department__short_code"),
            department_name_=F("department__name"),
        )
        .order_by("-decision_date", "-id")[:SUBJECT_PAGE_READ_MAX]
        .query
    )
    sql, params = query.sql_with_params()
    return Statement(sql, tuple(params), list(params).index(_ANY_SUBJECT))
