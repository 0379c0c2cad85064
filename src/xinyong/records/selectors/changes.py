"""The change feed of the 双公示: what was added, corrected or removed after a
position, for the open-data API's incremental sync (and the exchange)."""

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    Min,
    QuerySet,
    Value,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.core.ids import MAX_ID
from xinyong.records.models import (
    ItemAmong,
    PublishingBatch,
    PurgedRecord,
    Record,
    publicly_visible_condition,
)
from xinyong.records.selectors.public import (
    SHUANGGONGSHI_ITEMS,
    PublicRecord,
    public_view,
    record_scrub,
)


class FeedPosition(NamedTuple):
    """A position in the feed: the last change read (its `updated_at` and
    record id); the next read starts after it."""

    moment: dt.datetime
    last_id: int


class Removal(NamedTuple):
    reason: str  # expired / withdrawn / not_disclosed / purged
    text: str  # the reason's label, or the withdrawal's own reason


ChangeKind = Literal["added", "corrected", "removed"]


@dataclass(slots=True)
class Change:
    record_id: int
    item_code: str
    change: ChangeKind
    reason: str  # removed: expired / withdrawn / not_disclosed
    reason_text: str
    changed_at: dt.datetime
    record: PublicRecord | None  # the public content; None when removed


@dataclass(slots=True)
class ChangePage:
    changes: list[Change]
    position: FeedPosition  # where the next read starts
    more: bool


class _RowAfter(Func):
    """`(updated_at, id) > (moment, last_id)`: a row-value comparison, which
    PostgreSQL and SQLite (3.15+) evaluate in the order of the index
    (updated_at, id); the equivalent OR of two cases makes PostgreSQL
    combine two bitmap scans and sort."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, moment: dt.datetime, last_id: int) -> None:
        super().__init__(
            F("updated_at"),
            F("id"),
            Value(moment, output_field=DateTimeField()),
            Value(last_id, output_field=BigIntegerField()),
        )

    def as_sql(  # type: ignore[override]  # a fixed template: Func's template arguments unused
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        parts: list[str] = []
        params: list[Any] = []
        for expression in self.source_expressions:
            sql, part_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(part_params)
        return f"({parts[0]}, {parts[1]}) > ({parts[2]}, {parts[3]})", tuple(params)


# Other feeds with the same cursor style (the lists change feed) compare their rows
# to a position with it.
RowAfter = _RowAfter


def changes_query(since: FeedPosition) -> QuerySet[Record]:
    """The 双公示 records changed after a position: `changes_query_for_items`
    of the 双公示 items."""
    return changes_query_for_items(
        CatalogItem.objects.filter(code__in=SHUANGGONGSHI_ITEMS), since=since
    )


def changes_query_for_items(
    items: QuerySet[CatalogItem] | list[int], *, since: FeedPosition
) -> QuerySet[Record]:
    """The records of `items` (a queryset of catalog items, or their ids) changed after a position (updated_at, id), oldest
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
    if isinstance(items, list):
        items = CatalogItem.objects.filter(pk__in=items)
    rows = Record.objects.all()
    # Held before an import that is turning its records active (they carry
    # that moment or later and show when its batch is done): a reader's
    # position never passes them unseen. Read first, and a bound only then:
    # a bound from a subquery made PostgreSQL expect one row and sort.
    hold = PublishingBatch.objects.aggregate(hold=Min("since"))["hold"]
    if hold is not None:
        rows = rows.filter(updated_at__lt=hold)
    return (
        rows.filter(
            _RowAfter(moment, last_id),
            ItemAmong(items),
            published_on__isnull=False,
            updated_at__gte=moment,
        )
        # Not an unfinished import's rows: they enter the feed when their
        # batch is done (`records.staging` moves their updated_at then).
        .live()
        .annotate(
            visible=ExpressionWrapper(
                publicly_visible_condition(clock.today()), output_field=BooleanField()
            )
        )
        .select_related("item", "department", "subject")
        .order_by("updated_at", "pk")
    )


def _removal(record: Record, today: dt.date) -> Removal | None:
    """Why a published record is not in the public view (any more), from its
    columns; None if it is not there yet (published on a later day)."""
    if record.status == Record.Status.WITHDRAWN or (
        record.unpublish_reason == Record.UnpublishReason.WITHDRAWN
    ):
        # 行政处罚法 art. 48: the withdrawal is made public with its reason,
        # which a clerk typed: scrubbed as the record's values are.
        if record.withdrawn_reason:
            return Removal("withdrawn", record_scrub(record, record.withdrawn_reason))
        return Removal("withdrawn", str(Record.UnpublishReason.WITHDRAWN.label))
    if record.unpublish_reason:
        reason = Record.UnpublishReason(record.unpublish_reason)
        return Removal(reason.value, str(reason.label))
    if record.disclosure_end is not None and record.disclosure_end < today:
        # Ended at midnight; `xinyong daily` has not recorded it yet.
        return Removal("expired", str(Record.UnpublishReason.EXPIRED.label))
    if record.published_on is not None and record.published_on > today:
        return None
    # Its catalog item is no longer public.
    return Removal("not_disclosed", str(Record.UnpublishReason.NOT_DISCLOSED.label))


def purged_since(since: FeedPosition, limit: int) -> list[PurgedRecord]:
    """The 双公示 records deleted by the purge (遗忘) after a position, oldest
    first: a range of `purged_record_feed_idx` (purged_at, record_id)."""
    moment, last_id = since
    return list(
        PurgedRecord.objects.annotate(updated_at=F("purged_at"), id=F("record_id"))
        .filter(
            _RowAfter(moment, last_id),
            ItemAmong(CatalogItem.objects.filter(code__in=SHUANGGONGSHI_ITEMS)),
            purged_at__gte=moment,
        )
        .select_related("item")
        .order_by("purged_at", "record_id")[: limit + 1]
    )


def changes_since(since: FeedPosition, limit: int) -> ChangePage:
    """Changes of 双公示 records after a position (updated_at, id), oldest
    first, at most `limit`, with the position after them. Three queries: the
    hold of an import turning its records active (`changes_query`), the page,
    and the records the purge deleted in the same range (`purged_since`),
    merged in (moment, id) order (a purged record's id is never reused).

    A record in the public view is `added` (its first revision) or
    `corrected` (a later one), with its public content; one out of it is
    `removed`, with the reason: withdrawn (and the withdrawal's reason),
    expired, not_disclosed, purged (deleted past its retention, 遗忘). An
    expiry is listed when `xinyong daily` records it (it sets `updated_at`);
    the public views drop the record at midnight.
    """
    records = list(changes_query(since)[: limit + 1])
    purged = purged_since(since, limit)
    merged: list[tuple[dt.datetime, int, Record | PurgedRecord]] = sorted(
        [(r.updated_at, r.pk, r) for r in records]
        + [(p.purged_at, p.record_id, p) for p in purged],
        key=lambda row: (row[0], row[1]),
    )
    more = len(merged) > limit
    merged = merged[:limit]
    today = clock.today()
    out: list[Change] = []
    for moment, record_id, row in merged:
        if isinstance(row, PurgedRecord):
            out.append(
                Change(
                    record_id=record_id,
                    item_code=row.item.code,
                    change="removed",
                    reason="purged",
                    reason_text=_("超过保存期限，已删除"),
                    changed_at=moment,
                    record=None,
                )
            )
            continue
        record = row
        code = record.item.code
        if record.visible:  # type: ignore[attr-defined]  # annotated by changes_query
            change: ChangeKind = "added" if record.revision <= 1 else "corrected"
            view = public_view(record, with_fields=True)
            out.append(
                Change(
                    record_id=record.pk,
                    item_code=code,
                    change=change,
                    reason="",
                    reason_text=view.correction if change == "corrected" else "",
                    changed_at=moment,
                    record=view,
                )
            )
            continue
        removal = _removal(record, today)
        if removal is not None:
            out.append(
                Change(
                    record_id=record.pk,
                    item_code=code,
                    change="removed",
                    reason=removal.reason,
                    reason_text=removal.text,
                    changed_at=moment,
                    record=None,
                )
            )
    position = FeedPosition(merged[-1][0], merged[-1][1]) if merged else since
    return ChangePage(changes=out, position=position, more=more)


# -- the cursor, shared by every feed of this style (records, lists) ----------------


def encode_cursor(position: FeedPosition) -> str:
    """A position as the opaque `next_cursor` of a feed."""
    text = f"{position.moment.astimezone(dt.UTC).isoformat()}|{position.last_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# No record changed outside these: a `since` before or after them reads as them (a client's
# "from the beginning" may well be 0001-01-01, which UTC cannot hold at +08:00).
_FEED_FLOOR = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_FEED_CEILING = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def _bounded(moment: dt.datetime) -> dt.datetime:
    try:
        moment = moment.astimezone(dt.UTC)
    except OverflowError:  # within a day of year 1 or 9999
        return _FEED_FLOOR if moment.year < 2000 else _FEED_CEILING
    return min(max(moment, _FEED_FLOOR), _FEED_CEILING)


def _invalid_since(since: str) -> ApplicationError:
    return ApplicationError(
        "invalid_since",
        _("since 应为 ISO 格式的时间（如 2026-01-05T08:00:00+08:00）或上次返回的 next_cursor"),
        {"since": since},
        status=422,
    )


def parse_since(since: str, *, signed: bool = False) -> FeedPosition:
    """An ISO datetime (without zone: Beijing time) or a cursor of the feed.
    `signed`: the feed's positions carry a source in the id's sign (the lists
    feed: negative for a record), so a negative id is valid."""
    value = (since or "").strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=clock.SHANGHAI)
        return FeedPosition(_bounded(moment), 0)
    try:
        padded = value + "=" * (-len(value) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        moment_text, pk = text.rsplit("|", 1)
        moment, last_id = dt.datetime.fromisoformat(moment_text), int(pk)
    except (ValueError, UnicodeDecodeError):
        raise _invalid_since(since) from None
    low = -MAX_ID if signed else 0
    if timezone.is_naive(moment) or not low <= last_id <= MAX_ID:
        raise _invalid_since(since)
    return FeedPosition(_bounded(moment), last_id)
