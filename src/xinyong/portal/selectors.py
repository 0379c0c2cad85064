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
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.catalog.models import CatalogItem, CatalogItemVersion
from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.core.masking import mask_id_number, mask_person_name, mask_phone
from xinyong.orgs.models import Department
from xinyong.portal.models import Article
from xinyong.records import selectors as records_selectors
from xinyong.records.models import Record
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

PERSON_KIND_VALUE = "自然人"  # 行政相对人类别 of a natural person in the 双公示 standard
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
    return with_relations(qs).order_by("-decision_date", "-id")


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
    constant memory: catalog versions are loaded once, not joined per row."""
    versions: dict[int, CatalogItemVersion] = {}
    qs = (
        filter_records(shuanggongshi_records(kind), kind, filters)
        .select_related("item", "department", "subject")
        .order_by("pk")
    )
    for record in qs.iterator(chunk_size=chunk):
        version = versions.get(record.version_id)
        if version is None:
            version = versions[record.version_id] = CatalogItemVersion.objects.get(
                pk=record.version_id
            )
        record.version = version
        yield public_view(record, with_fields=True)


def record_get(kind: Kind, pk: int) -> Record:
    record = with_relations(shuanggongshi_records(kind)).filter(pk=pk).first()
    if record is None:
        raise NotFoundError("not_found", _("该记录不存在或已不再公示"))
    return record


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
    qs = with_relations(shuanggongshi_records(kind)).order_by("-decision_date", "-id")[:n]
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


def subject_get(pk: int) -> Subject:
    """A subject's public page: organisations and individual businesses only."""
    subject = Subject.objects.exclude(kind=Subject.Kind.PERSON).filter(pk=pk).first()
    if subject is None:
        raise NotFoundError("not_found", _("未找到该信用主体"))
    return subject


def subject_identifiers(subject: Subject) -> list[SubjectIdentifier]:
    return list(subject.identifiers.order_by("kind", "value"))


SUBJECT_PAGE_RECORDS = 50


@dataclass(slots=True)
class SubjectRecords:
    kind: Kind | None
    label: str
    records: list[PublicRecord]
    more: bool


def subject_records(subject: Subject) -> list[SubjectRecords]:
    """The subject's public records, licences and penalties first, each group
    at most SUBJECT_PAGE_RECORDS (the 双公示 list shows the rest): one query."""
    qs = (
        public_records()
        .filter(subject_id=subject.pk)
        .select_related("item", "department")
        .order_by("item__code", "-decision_date", "-id")
    )
    groups: dict[str, SubjectRecords] = {}
    for kind in KINDS.values():
        groups[kind.item_code] = SubjectRecords(
            kind=kind, label=str(kind.label), records=[], more=False
        )
    for record in qs[:1000]:
        record.subject = subject
        group = groups.get(record.item.code)
        if group is None:
            group = groups[record.item.code] = SubjectRecords(
                kind=None, label=record.item.name, records=[], more=False
            )
        if len(group.records) >= SUBJECT_PAGE_RECORDS:
            group.more = True
            continue
        group.records.append(public_view(record))
    return list(groups.values())


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


def _model_fields() -> set[str]:
    return {f.name for f in Record._meta.get_fields()}


def _beijing_midnight(date_expr, days: int = 0):
    """00:00 Beijing time of a date column (+ days), as a UTC datetime expression."""
    return ExpressionWrapper(
        Cast(date_expr, DateTimeField()) + Value(dt.timedelta(days=days, hours=-8)),
        output_field=DateTimeField(),
    )


def change_time_expression():
    """When a record last changed for the public: the latest of its last write,
    its publication (00:00 of `published_on`), its end (`unpublished_on`) and
    an end that `disclosure_end` brought about before `xinyong daily` ran."""
    fields = _model_fields()
    if "published_on" not in fields:
        return F("updated_at")
    today = clock.today()
    parts = [
        Coalesce(_beijing_midnight(F("published_on")), F("updated_at")),
        Coalesce(_beijing_midnight(F("unpublished_on")), F("updated_at")),
    ]
    if "disclosure_end" in fields:
        lapsed = Case(
            When(disclosure_end__lt=today, then=_beijing_midnight(F("disclosure_end"), 1)),
            default=None,
            output_field=DateTimeField(),
        )
        parts.append(Coalesce(lapsed, F("updated_at")))
    return Greatest(F("updated_at"), *parts, output_field=DateTimeField())


def _removal(record: Record, today: dt.date) -> tuple[str, str] | None:
    """Why a record that is not public (any more) left it, or None if it never was."""
    published = getattr(record, "published_on", True)  # no windows yet: published on write
    if record.status == Record.Status.WITHDRAWN:
        text = str(getattr(record, "withdrawn_reason", "") or "")
        return "withdrawn", text or str(_("已撤回"))
    reason = getattr(record, "unpublish_reason", "") or ""
    if reason and (published or getattr(record, "unpublished_on", None)):
        return reason, str(Record.UnpublishReason(reason).label)  # type: ignore[attr-defined]
    end = getattr(record, "disclosure_end", None)
    if published and end is not None and end < today:
        return "expired", str(_("公示期满"))
    return None


def changes_since(
    since: tuple[dt.datetime, int], limit: int
) -> tuple[list[Change], tuple[dt.datetime, int], bool]:
    """Changes of 双公示 records after a position (change time, id), oldest
    first: (changes, the new position, whether there are more). A record that
    was never public is passed over; the position still advances.

    Cost: the change time is computed per record (no index can hold a time
    that moves with the clock), so this scans the 双公示 records once per call.
    """
    moment, last_id = since
    now = clock.now()
    qs = (
        with_relations(
            Record.objects.filter(
                item__code__in=SHUANGGONGSHI_ITEMS,
                item__disclosure=CatalogItem.Disclosure.PUBLIC,
            )
        )
        .annotate(changed_at=change_time_expression())
        .filter(changed_at__lte=now)
        .filter(Q(changed_at__gt=moment) | Q(changed_at=moment, pk__gt=last_id))
        .order_by("changed_at", "pk")
    )
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    visible = set(public_records().filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True))
    today = clock.today()
    out: list[Change] = []
    for record in rows:
        changed_at = record.changed_at  # type: ignore[attr-defined]
        if record.pk in visible:
            change = "added" if record.revision <= 1 else "corrected"
            view = public_view(record, with_fields=True)
            out.append(Change(record.pk, record.item.code, change, "", "", changed_at, view))
            continue
        removal = _removal(record, today)
        if removal is not None:
            out.append(Change(record.pk, record.item.code, "removed", *removal, changed_at, None))
    position = (rows[-1].changed_at, rows[-1].pk) if rows else since  # type: ignore[attr-defined]
    return out, position, more
