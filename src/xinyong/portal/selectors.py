"""Reads of the public portal: what the public may see of records and subjects.

Every public path (pages, the open-data API, the CSV, the change feed) reads
records through `records`: which records through
`records.selectors.record_list_public()` (`Record.objects.publicly_visible()`),
which of their fields through `records.selectors.record_public_values()`
(public fields only, masked; a natural person's name masked and no ID
number). This module only shapes them (`public_view`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    QuerySet,
    Value,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import Department
from xinyong.portal.models import Article
from xinyong.records import selectors as records_selectors
from xinyong.records.models import ItemAmong, Record, publicly_visible_condition
from xinyong.subjects.models import Subject, SubjectIdentifier


@dataclass(frozen=True, slots=True)
class Kind:
    slug: str  # in URLs: licences / penalties
    item_code: str
    label: str
    # The field whose value is the record's category (许可类别 / 处罚类别).
    category_key: str
    category_label: str


KINDS: dict[str, Kind] = {
    "licences": Kind(
        "licences", "XZXK", gettext_lazy("行政许可"), "license_category", gettext_lazy("许可类别")
    ),
    "penalties": Kind(
        "penalties", "XZCF", gettext_lazy("行政处罚"), "penalty_category", gettext_lazy("处罚类别")
    ),
}
KIND_BY_ITEM = {k.item_code: k for k in KINDS.values()}
SHUANGGONGSHI_ITEMS = tuple(KIND_BY_ITEM)

COUNT_CAP = 10_000


def get_kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise NotFoundError("not_found", _("页面不存在"))
    return kind


# -- which records ------------------------------------------------------------------


def public_records() -> QuerySet[Record]:
    """Every record the public may see now, of any public item, with item,
    department, subject and version joined (`public_view` needs them)."""
    return records_selectors.record_list_public()


def shuanggongshi_records(kind: Kind) -> QuerySet[Record]:
    return public_records().filter(item__code=kind.item_code)


# -- the one public shape of a record -----------------------------------------------


@dataclass(slots=True)
class PublicRecord:
    id: int
    item_code: str
    item_name: str
    kind: Kind | None
    department_code: str
    department_name: str
    subject_id: int | None  # None for a natural person: no public page
    subject_name: str
    subject_uscc: str
    is_person: bool
    doc_number: str
    decision_date: dt.date | None
    category: str
    licence_status: str
    public_until: dt.date | None
    disputed: bool
    updated_at: dt.datetime
    fields: list[tuple[str, str]] = field(default_factory=list)


def public_view(record: Record, *, with_fields: bool = False) -> PublicRecord:
    """The record as the public may see it. Needs item, department, subject and
    version loaded (`public_records()` joins them). Every value comes from
    `record_public_values`: a field that is not public is not here."""
    values = records_selectors.record_public_values(record)
    person = records_selectors.record_is_person(record)
    by_role = {v.role: v.value for v in values if v.role}
    by_key = {v.key: v.value for v in values}
    kind = KIND_BY_ITEM.get(record.item.code)
    return PublicRecord(
        id=record.pk,
        item_code=record.item.code,
        item_name=record.item.name,
        kind=kind,
        department_code=record.department.short_code,
        department_name=record.department.name,
        subject_id=None if person or record.subject_id is None else record.subject_id,
        subject_name=by_role.get("subject_name", ""),
        subject_uscc="" if person else by_role.get("subject_uscc", ""),
        is_person=person,
        doc_number=record.doc_number if "doc_number" in by_role else "",
        decision_date=record.decision_date if "decision_date" in by_role else None,
        category=by_key.get(kind.category_key, "") if kind is not None else "",
        licence_status=by_key.get("status", ""),
        public_until=record.disclosure_end,
        disputed=record.disputed,
        updated_at=record.updated_at,
        fields=[(v.label, v.value) for v in values] if with_fields else [],
    )


# -- lists and filters --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordFilters:
    department: str = ""  # short code
    category: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    subject_id: int | None = None


def filter_records(qs: QuerySet[Record], kind: Kind, filters: RecordFilters) -> QuerySet[Record]:
    if filters.department:
        qs = qs.filter(department__short_code=filters.department)
    if filters.category:
        # A JSON key: no index, but within one item and usually a date range.
        qs = qs.filter(**{f"data__{kind.category_key}": filters.category})
    if filters.date_from:
        qs = qs.filter(decision_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decision_date__lte=filters.date_to)
    if filters.subject_id:
        # Only organisations' records can be grouped by subject: a person's
        # records must not be linkable to each other on the public site.
        qs = qs.filter(subject_id=filters.subject_id).exclude(subject__kind=Subject.Kind.PERSON)
    return qs


def record_list(kind: Kind, filters: RecordFilters) -> QuerySet[Record]:
    qs = filter_records(shuanggongshi_records(kind), kind, filters)
    return qs.order_by("-decision_date", "-id")


@dataclass(slots=True)
class Page:
    rows: list
    number: int
    page_size: int
    has_next: bool
    total: int | None  # None: more than COUNT_CAP

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def num_pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.page_size))


def page_of(qs: QuerySet, number: int, page_size: int = 20, *, count: bool = True) -> Page:
    """A page by offset, with a count bounded at COUNT_CAP (a full COUNT over a
    province's records on every page view is what we avoid)."""
    number = max(1, min(number, 10_000))
    start = (number - 1) * page_size
    rows = list(qs[start : start + page_size + 1])
    total = None
    if count:
        capped = qs.order_by()[: COUNT_CAP + 1].count()
        total = capped if capped <= COUNT_CAP else None
    return Page(
        rows=rows[:page_size],
        number=number,
        page_size=page_size,
        has_next=len(rows) > page_size,
        total=total,
    )


def iter_public_views(kind: Kind, filters: RecordFilters, *, chunk: int = 2000):
    """Every public record of a kind, with its public fields, in id order, in
    constant memory (catalog versions come from their cache, not joined)."""
    qs = (
        filter_records(shuanggongshi_records(kind), kind, filters)
        .select_related(None)
        .select_related("item", "department", "subject")
        .order_by("pk")
    )
    for record in qs.iterator(chunk_size=chunk):
        yield public_view(record, with_fields=True)


def record_get(kind: Kind, pk: int) -> Record:
    record = shuanggongshi_records(kind).filter(pk=pk).first()
    if record is None:
        raise NotFoundError("not_found", _("该记录不存在或已不再公示"))
    return record


def record_get_withdrawn(kind: Kind, pk: int) -> Record | None:
    """A published record of this kind that was withdrawn (行政处罚法 art. 48:
    the withdrawal and its reason are made public), or None."""
    return (
        Record.objects.publicly_withdrawn()
        .filter(pk=pk, item__code=kind.item_code)
        .select_related("department")
        .only(
            "doc_number", "unpublished_on", "withdrawn_reason", "withdrawn_kind", "department__name"
        )
        .first()
    )


def category_choices(kind: Kind) -> list[str]:
    item = CatalogItem.objects.select_related("current_version").filter(code=kind.item_code).first()
    if item is None or item.current_version is None:
        return []
    for f in item.current_version.schema.get("fields", []):
        if f["key"] == kind.category_key and f.get("is_public"):
            return list(f.get("choices") or [])
    return []


def public_columns(kind: Kind) -> list[str]:
    """The labels of the item's public fields (current version), in order."""
    item = CatalogItem.objects.select_related("current_version").filter(code=kind.item_code).first()
    if item is None or item.current_version is None:
        return []
    return [
        f["label"]
        for f in item.current_version.schema.get("fields", [])
        if f.get("is_public") and f.get("masking") != "hidden"
    ]


def department_choices() -> list[tuple[str, str]]:
    return list(
        Department.objects.filter(is_active=True)
        .exclude(kind=Department.Kind.CREDIT_OFFICE)
        .order_by("name")
        .values_list("short_code", "name")
    )


def latest(kind: Kind, n: int = 6) -> list[PublicRecord]:
    qs = shuanggongshi_records(kind).order_by("-decision_date", "-id")[:n]
    return [public_view(r) for r in qs]


def counts() -> dict[str, int]:
    """Public licences, penalties and listed subjects; cached for 5 minutes
    (a COUNT over every record is not for every home-page view)."""

    def compute() -> dict[str, int]:
        by_item = dict(
            public_records()
            .filter(item__code__in=SHUANGGONGSHI_ITEMS)
            .values_list("item__code")
            .annotate(n=Count("id"))
            .values_list("item__code", "n")
        )
        return {
            "licences": by_item.get("XZXK", 0),
            "penalties": by_item.get("XZCF", 0),
            "subjects": Subject.objects.exclude(kind=Subject.Kind.PERSON).count(),
        }

    return cache.get_or_set("portal:counts", compute, 300)


# -- subjects -----------------------------------------------------------------------


SUBJECT_PAGE_RECORDS = 50

# What a subject page reads of a record (`public_view` without its fields).
_SUBJECT_PAGE_COLUMNS = (
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
    more: bool


@dataclass(slots=True)
class SubjectPage:
    subject: Subject
    identifiers: list[SubjectIdentifier]
    groups: list[SubjectRecords]


def subject_page(pk: int) -> SubjectPage:
    """A subject's public page: organisations and individual businesses only
    (a natural person has none). Two queries whatever the subject has: the
    subject with its identifiers (one LEFT JOIN), then its public records,
    each group at most SUBJECT_PAGE_RECORDS (the 双公示 list shows the rest),
    with only the columns the page shows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.kind, s.name, s.uscc, i.kind, i.value FROM subjects_subject s "
            "LEFT JOIN subjects_subjectidentifier i ON i.subject_id = s.id "
            "WHERE s.id = %s AND s.kind <> %s ORDER BY 4, 5",
            [pk, Subject.Kind.PERSON.value],
        )
        rows = cursor.fetchall()
    if not rows:
        raise NotFoundError("not_found", _("未找到该信用主体"))
    kind, name, uscc = rows[0][:3]
    subject = Subject(pk=pk, kind=kind, name=name, uscc=uscc)
    identifiers = [
        SubjectIdentifier(subject=subject, kind=id_kind, value=value)
        for *_unused, id_kind, value in rows
        if id_kind is not None
    ]
    groups = {
        k.item_code: SubjectRecords(kind=k, label=str(k.label), records=[], more=False)
        for k in KINDS.values()
    }
    sql, params, at = _subject_records_statement(clock.today())
    params = list(params)
    params[at] = pk
    items: dict[int, CatalogItem] = {}
    departments: dict[int, Department] = {}
    for record in Record.objects.raw(sql, params):
        record.subject = subject
        record.item = items.get(record.item_id) or items.setdefault(
            record.item_id,
            CatalogItem(pk=record.item_id, code=record.item_code_, name=record.item_name_),
        )
        record.department = departments.get(record.department_id) or departments.setdefault(
            record.department_id,
            Department(
                pk=record.department_id,
                short_code=record.department_code_,
                name=record.department_name_,
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
    return SubjectPage(subject=subject, identifiers=identifiers, groups=list(groups.values()))


_SUBJECT_MARK = -7_654_321  # stands for the subject's id while compiling
_SUBJECT_RECORDS_SQL: dict[dt.date, tuple[str, tuple, int]] = {}


def _subject_records_statement(day: dt.date) -> tuple[str, tuple, int]:
    """The subject page's record query as SQL: (sql, params, index of the
    subject id among the params). Compiled by the ORM from `public_records`
    (`publicly_visible_condition`, the one definition of what is public) once
    per day and process: the
    compiling costs ~2 ms, ten times the query itself."""
    cached = _SUBJECT_RECORDS_SQL.get(day)
    if cached is None:
        query = (
            Record.objects.filter(publicly_visible_condition(day))
            .filter(subject_id=_SUBJECT_MARK)
            .only(*_SUBJECT_PAGE_COLUMNS)
            .annotate(
                item_code_=F("item__code"),
                item_name_=F("item__name"),
                department_code_=F("department__short_code"),
                department_name_=F("department__name"),
            )
            .order_by("-decision_date", "-id")[:1000]
            .query
        )
        sql, params = query.sql_with_params()
        cached = (sql, tuple(params), list(params).index(_SUBJECT_MARK))
        if len(_SUBJECT_RECORDS_SQL) > 4:
            _SUBJECT_RECORDS_SQL.clear()
        _SUBJECT_RECORDS_SQL[day] = cached
    return cached


# -- articles -----------------------------------------------------------------------


def articles(section: str | None = None) -> QuerySet[Article]:
    qs = Article.objects.published(clock.now())
    if section:
        qs = qs.filter(section=section)
    return qs.order_by("-published_at", "-id")


def article_get(pk: int) -> Article:
    article = articles().filter(pk=pk).first()
    if article is None:
        raise NotFoundError("not_found", _("文章不存在或尚未发布"))
    return article


def latest_articles(n: int = 5) -> dict[str, list[Article]]:
    return {section: list(articles(section)[:n]) for section in Article.Section.values}


# -- the change feed ----------------------------------------------------------------


@dataclass(slots=True)
class Change:
    record_id: int
    item_code: str
    change: str  # added / corrected / removed
    reason: str  # removed: expired / withdrawn / not_disclosed
    reason_text: str
    changed_at: dt.datetime
    record: PublicRecord | None


class _RowAfter(Func):
    """`(updated_at, id) > (moment, last_id)`: a row-value comparison, which
    PostgreSQL and SQLite (3.15+) evaluate in the order of the index
    (updated_at, id); the equivalent OR of two cases makes PostgreSQL
    combine two bitmap scans and sort."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, moment: dt.datetime, last_id: int):
        super().__init__(
            F("updated_at"),
            F("id"),
            Value(moment, output_field=DateTimeField()),
            Value(last_id, output_field=BigIntegerField()),
        )

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, part_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(part_params)
        return f"({parts[0]}, {parts[1]}) > ({parts[2]}, {parts[3]})", tuple(params)


def changes_query(since: tuple[dt.datetime, int]) -> QuerySet[Record]:
    """The 双公示 records changed after a position (updated_at, id), oldest
    first, each annotated `visible` (in the public view today or not).

    Every state change of a record sets `updated_at` (intake, the disclosure
    fill, `xinyong daily`, withdrawal), so this is a range of the index
    `record_changed_idx` (updated_at, id), never a scan. SQL intent:
    `updated_at >= since AND (updated_at, id) > (since, last_id)` is the
    range, read in index order (no sort) up to LIMIT rows; the items are
    checked without a join (`ItemAmong`), which would tempt the planner to
    start from the item index. A record never published (e.g. submitted
    after its window had ended, or of an item that is not public) is never
    listed.
    """
    moment, last_id = since
    return (
        Record.objects.filter(
            _RowAfter(moment, last_id),
            ItemAmong(CatalogItem.objects.filter(code__in=SHUANGGONGSHI_ITEMS)),
            published_on__isnull=False,
            updated_at__gte=moment,
        )
        .annotate(
            visible=ExpressionWrapper(
                publicly_visible_condition(clock.today()), output_field=BooleanField()
            )
        )
        .select_related("item", "department", "subject")
        .order_by("updated_at", "pk")
    )


def _removal(record: Record, today: dt.date) -> tuple[str, str] | None:
    """Why a published record is not in the public view (any more), from its
    columns; None if it is not there yet (published on a later day)."""
    if record.status == Record.Status.WITHDRAWN or (
        record.unpublish_reason == Record.UnpublishReason.WITHDRAWN
    ):
        # 行政处罚法 art. 48: the withdrawal is made public with its reason.
        return "withdrawn", record.withdrawn_reason or str(Record.UnpublishReason.WITHDRAWN.label)
    if record.unpublish_reason:
        reason = Record.UnpublishReason(record.unpublish_reason)
        return reason.value, str(reason.label)
    if record.disclosure_end is not None and record.disclosure_end < today:
        # Ended at midnight; `xinyong daily` has not recorded it yet.
        return "expired", str(Record.UnpublishReason.EXPIRED.label)
    if record.published_on is not None and record.published_on > today:
        return None
    # Its catalog item is no longer public.
    return "not_disclosed", str(Record.UnpublishReason.NOT_DISCLOSED.label)


def changes_since(
    since: tuple[dt.datetime, int], limit: int
) -> tuple[list[Change], tuple[dt.datetime, int], bool]:
    """Changes of 双公示 records after a position (updated_at, id), oldest
    first: (changes, the new position, whether there are more). One query.

    A record in the public view is `added` (its first revision) or
    `corrected` (a later one), with its public content; one out of it is
    `removed`, with the reason: withdrawn (and the withdrawal's reason),
    expired, not_disclosed. An expiry is listed when `xinyong daily` records
    it (it sets `updated_at`); the public views drop the record at midnight.
    """
    rows = list(changes_query(since)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    today = clock.today()
    out: list[Change] = []
    for record in rows:
        code, moment = record.item.code, record.updated_at
        if record.visible:  # type: ignore[attr-defined]
            change = "added" if record.revision <= 1 else "corrected"
            view = public_view(record, with_fields=True)
            out.append(Change(record.pk, code, change, "", "", moment, view))
            continue
        removal = _removal(record, today)
        if removal is not None:
            out.append(Change(record.pk, code, "removed", *removal, moment, None))
    position = (rows[-1].updated_at, rows[-1].pk) if rows else since
    return out, position, more
