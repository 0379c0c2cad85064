"""The 双公示 (行政许可 and 行政处罚) as the public reads it: lists with their
filters and pages, a record's page, the open-data pages, the CSV's rows and
the home page's figures. Every record is shaped by `public.public_view`."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.catalog.schema import JsonObject
from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import Department
from xinyong.records.models import PurgeTombstone, Record
from xinyong.records.selectors.public import (
    DEPARTMENT_END_KEYS,
    KINDS,
    SHUANGGONGSHI_ITEMS,
    Kind,
    PublicRecord,
    public_view,
    record_list_public,
    record_scrub,
)
from xinyong.subjects.models import Subject

COUNT_CAP = 10_000
# How long the home page's figures are reused (a COUNT over every record is
# not for every home-page view).
COUNTS_SECONDS = 300


def get_kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise NotFoundError("not_found", _("页面不存在"))
    return kind


def shuanggongshi_records(kind: Kind) -> QuerySet[Record]:
    return record_list_public().filter(item__code=kind.item_code)


# -- lists and filters ----------------------------------------------------------


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
    rows: list[Any]
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


def page_of(qs: QuerySet[Any], number: int, page_size: int = 20, *, count: bool = True) -> Page:
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


def iter_public_views(
    kind: Kind, filters: RecordFilters, *, chunk: int = 2000
) -> Iterator[PublicRecord]:
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


# -- one record -----------------------------------------------------------------


def record_get_public(kind: Kind, pk: int) -> Record:
    record = shuanggongshi_records(kind).filter(pk=pk).first()
    if record is None:
        raise NotFoundError("not_found", _("该记录不存在或已不再公示"))
    return record


def record_get_withdrawn(kind: Kind, pk: int) -> Record | None:
    """A published record of this kind that was withdrawn (行政处罚法 art. 48:
    the withdrawal and its reason are made public), or None. Its document
    number and reason are scrubbed (`public.record_scrub`): the instance is
    for display only and is never saved."""
    record = (
        Record.objects.publicly_withdrawn()
        .filter(pk=pk, item__code=kind.item_code)
        .select_related("department", "subject")
        .only(
            "doc_number",
            "unpublished_on",
            "withdrawn_reason",
            "withdrawn_kind",
            "department__name",
            "data",
            "version_id",
            "subject__name",
            "subject__kind",
        )
        .first()
    )
    if record is not None:
        record.doc_number = record_scrub(record, record.doc_number)
        record.withdrawn_reason = record_scrub(record, record.withdrawn_reason)
    return record


# -- what the filters and the CSV offer -----------------------------------------


def _public_schema_fields(kind: Kind) -> list[JsonObject]:
    item = CatalogItem.objects.select_related("current_version").filter(code=kind.item_code).first()
    if item is None or item.current_version is None:
        return []
    return [
        f
        for f in item.current_version.schema.get("fields", [])
        if f.get("is_public") and f["key"] not in DEPARTMENT_END_KEYS
    ]


def category_choices(kind: Kind) -> list[str]:
    for f in _public_schema_fields(kind):
        if f["key"] == kind.category_key:
            return list(f.get("choices") or [])
    return []


def public_columns(kind: Kind) -> list[str]:
    """The labels of the item's public fields (current version), in order."""
    return [f["label"] for f in _public_schema_fields(kind) if f.get("masking") != "hidden"]


def department_choices() -> list[tuple[str, str]]:
    """The departments a list can be filtered by: (short code, name)."""
    return list(Department.objects.government().order_by("name").values_list("short_code", "name"))


# -- the home page --------------------------------------------------------------


def latest(kind: Kind, n: int = 6) -> list[PublicRecord]:
    qs = shuanggongshi_records(kind).order_by("-decision_date", "-id")[:n]
    return [public_view(r) for r in qs]


def public_counts() -> dict[str, int]:
    """Public licences, penalties and listed subjects, reused for COUNTS_SECONDS."""

    def compute() -> dict[str, int]:
        by_item = dict(
            record_list_public()
            .filter(item__code__in=SHUANGGONGSHI_ITEMS)
            .values_list("item__code")
            .annotate(n=Count("id"))
            .values_list("item__code", "n")
        )
        return {
            "licences": by_item.get("XZXK", 0),
            "penalties": by_item.get("XZCF", 0),
            "subjects": Subject.objects.live().exclude(kind=Subject.Kind.PERSON).count(),
            # 遗忘 (issue 14 §7): negative records deleted past their retention.
            "purged": PurgeTombstone.objects.aggregate(n=Sum("count"))["n"] or 0,
        }

    return cast(dict[str, int], cache.get_or_set("records:public_counts", compute, COUNTS_SECONDS))


# -- the open-data API ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenDataFilters:
    item: str | None = None  # XZXK / XZCF; None: both
    department: str | None = None  # short code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    after: int | None = None  # the last record id of the previous page


@dataclass(slots=True)
class OpenDataPage:
    records: list[PublicRecord]
    next_cursor: int | None  # None: no more


def open_data_page(filters: OpenDataFilters, limit: int) -> OpenDataPage:
    """A page of public 双公示 records in id order, each with its public
    fields, for the open-data API: the page after record `after`. One query."""
    qs = record_list_public().filter(item__code__in=SHUANGGONGSHI_ITEMS)
    if filters.item:
        qs = qs.filter(item__code=filters.item)
    if filters.department:
        qs = qs.filter(department__short_code=filters.department)
    if filters.date_from:
        qs = qs.filter(decision_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decision_date__lte=filters.date_to)
    if filters.after:
        qs = qs.filter(pk__gt=filters.after)
    rows = list(qs.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return OpenDataPage(
        records=[public_view(r, with_fields=True) for r in rows],
        next_cursor=rows[-1].pk if more else None,
    )
