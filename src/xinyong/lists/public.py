"""What the public sees of lists: the one public shape of a listing
(`PublicEntry`), for the portal's list pages and subject page, the open-data
API and the lists change feed.

Rules, in one place:
- only list types that are active and public; decided entries in force and
  published; for a fed list, the feeding item's records in the public view;
- a natural person appears only where the list type's basis allows it
  (`publish_persons`), and then with the name masked and no ID number; the
  other free text (reasons) passes the scrubber with the person's name;
- persons have no public subject page (`subject_id` None).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.masking import mask_person_name
from xinyong.core.scrub import scrub_text
from xinyong.lists.models import ListEntry, ListType
from xinyong.records import selectors as records
from xinyong.records.models import Record
from xinyong.records.selectors.changes import FeedPosition, RowAfter
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key

PERSON = Subject.Kind.PERSON


@dataclass(slots=True)
class PublicEntry:
    list_code: str
    list_name: str
    kind: str
    subject_id: int | None  # None for a natural person: no public page
    subject_name: str  # masked for a natural person
    subject_uscc: str
    is_person: bool
    decider: str
    document_number: str
    listed_on: dt.date | None
    valid_until: dt.date | None
    valid_until_text: str  # the date, or 至移除 / 至法院移除
    reasons: str  # scrubbed
    removal_conditions: str
    updated_at: dt.datetime
    entry_id: int | None = None
    record_id: int | None = None


def list_types_public() -> QuerySet[ListType]:
    """The list types shown on the portal and in the open data."""
    return ListType.objects.filter(is_active=True, is_public=True).order_by("-kind", "code")


def list_type_public(code: str) -> ListType | None:
    return list_types_public().filter(code=code.upper()).select_related("feed_item").first()


def period_text(list_type: ListType) -> str:
    if list_type.period_rule == ListType.PeriodRule.FIXED_YEARS:
        return _("%(n)d年") % {"n": list_type.period_years or 0}
    if list_type.period_rule == ListType.PeriodRule.YEARLY:
        return _("按年度评定，有效一年")
    return _("至移出为止")


def _until_text(list_type: ListType, valid_until: dt.date | None) -> str:
    if valid_until is not None:
        return valid_until.isoformat()
    if list_type.source == ListType.Source.CATALOG_ITEM:
        return _("至法院移除") if list_type.code == "SXBZX" else _("至移出")
    return _("至移出")


def entry_public(entry: ListEntry) -> PublicEntry:
    """A decided entry as the public sees it (needs list_type, subject, decided_by)."""
    list_type, subject = entry.list_type, entry.subject
    person = subject.kind == PERSON
    return PublicEntry(
        list_code=list_type.code,
        list_name=list_type.name,
        kind=list_type.kind,
        subject_id=None if person else subject.pk,
        subject_name=mask_person_name(subject.name) if person else subject.name,
        subject_uscc="" if person else subject.uscc or "",
        is_person=person,
        decider=entry.decided_by.name,
        document_number=scrub_text(entry.document_number),
        listed_on=entry.listed_on,
        valid_until=entry.valid_until,
        valid_until_text=_until_text(list_type, entry.valid_until),
        reasons=scrub_text(entry.reasons, person_names=[subject.name] if person else []),
        removal_conditions=list_type.removal_conditions(),
        updated_at=entry.updated_at,
        entry_id=entry.pk,
    )


def record_public(record: Record, list_type: ListType) -> PublicEntry:
    """A record of a feeding item as a public listing (its public view: masked)."""
    view = records.public_view(record)
    return PublicEntry(
        list_code=list_type.code,
        list_name=list_type.name,
        kind=list_type.kind,
        subject_id=view.subject_id,
        subject_name=view.subject_name,
        subject_uscc=view.subject_uscc,
        is_person=view.is_person,
        decider=view.department_name,
        document_number=view.doc_number,
        listed_on=view.decision_date,
        valid_until=record.disclosure_end,
        valid_until_text=view.public_until_text or _until_text(list_type, record.disclosure_end),
        reasons="",
        removal_conditions=list_type.removal_conditions(),
        updated_at=record.updated_at,
        record_id=record.pk,
    )


def _search(q: str) -> Q | None:
    """A company's name (any part, matched on the name key) or its exact USCC. Never a
    person's name: the page shows it masked (李**), and a search by the full name would
    tell the public whom the masked entry is."""
    q = (q or "").strip()
    if not q:
        return None
    return Q(subject__uscc=q.upper()) | (
        Q(subject__name_key__contains=name_key(q)) & ~Q(subject__kind=PERSON)
    )


def entries_query(list_type: ListType, q: str = "") -> QuerySet[ListEntry]:
    """The published entries in force of a list decided here, newest first
    (the partial index list_entry_decided_idx)."""
    qs = (
        ListEntry.objects.published(clock.today())
        .filter(list_type=list_type)
        .select_related("list_type", "subject", "decided_by")
    )
    if not list_type.publish_persons:
        qs = qs.exclude(subject__kind=PERSON)
    condition = _search(q)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.order_by("-listed_on", "-id")


def fed_records_query(list_type: ListType, q: str = "") -> QuerySet[Record]:
    """The records in the public view of a fed list's item, newest first."""
    qs = records.record_list_public().filter(item_id=list_type.feed_item_id)
    if not list_type.publish_persons:
        qs = qs.filter(subject__isnull=False).exclude(subject__kind=PERSON)
    condition = _search(q)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.order_by("-decision_date", "-id")


def to_public(obj: ListEntry | Record, list_type: ListType) -> PublicEntry:
    if isinstance(obj, ListEntry):
        return entry_public(obj)
    return record_public(obj, list_type)


def list_query(list_type: ListType, q: str = "") -> QuerySet[ListEntry] | QuerySet[Record]:
    if list_type.source == ListType.Source.CATALOG_ITEM:
        return fed_records_query(list_type, q)
    return entries_query(list_type, q)


@dataclass(frozen=True, slots=True)
class FedType:
    """What a subject page needs of a public list fed by a catalog item."""

    item_code: str
    code: str
    name: str
    kind: str
    publish_persons: bool
    removal_conditions: str


FED_TYPES_CACHE_KEY = "lists:fed_types"
# Edits in the admin clear it in the editing process (`forget_fed_types`); other
# processes see them within this many seconds.
FED_TYPES_SECONDS = 60


def fed_types() -> dict[str, FedType]:
    """The public lists fed by a catalog item, by the item's code (cached: the
    subject page, a hot path, reads it on every view)."""

    def load() -> dict[str, FedType]:
        return {
            t.feed_item.code: FedType(
                t.feed_item.code, t.code, t.name, t.kind, t.publish_persons, t.removal_conditions()
            )
            for t in list_types_public()
            .filter(source=ListType.Source.CATALOG_ITEM, feed_item__isnull=False)
            .select_related("feed_item")
            if t.feed_item is not None
        }

    found = cache.get_or_set(FED_TYPES_CACHE_KEY, load, FED_TYPES_SECONDS)
    return found if isinstance(found, dict) else load()


def forget_fed_types(**_signal_kwargs: object) -> None:
    """Clear the cache of `fed_types` (a signal receiver on ListType saves)."""
    cache.delete(FED_TYPES_CACHE_KEY)


def subject_entries_public(
    subject: Subject, page_records: list[records.PublicRecord]
) -> list[PublicEntry]:
    """The current public listings of one subject, for its portal page: one
    statement for the entries decided here; the fed lists' listings are the
    page's own public records of the feeding items (already read by
    `records.subject_page`), so no further statement."""
    out = [
        entry_public(e)
        for e in ListEntry.objects.published(clock.today())
        .filter(subject=subject, list_type__is_active=True)
        .select_related("list_type", "subject", "decided_by")
        .order_by("-listed_on")
        if subject.kind != PERSON or e.list_type.publish_persons
    ]
    fed = fed_types()
    for r in page_records:
        t = fed.get(r.item_code)
        if t is None or (r.is_person and not t.publish_persons):
            continue
        out.append(
            PublicEntry(
                list_code=t.code,
                list_name=t.name,
                kind=t.kind,
                subject_id=r.subject_id,
                subject_name=r.subject_name,
                subject_uscc=r.subject_uscc,
                is_person=r.is_person,
                decider=r.department_name,
                document_number=r.doc_number,
                listed_on=r.decision_date,
                valid_until=r.public_until,
                valid_until_text=r.public_until_text,
                reasons="",
                removal_conditions=t.removal_conditions,
                updated_at=r.updated_at,
                record_id=r.id,
            )
        )
    out.sort(key=lambda e: (e.kind != ListType.Kind.BLACK, e.list_code))
    return out


# -- the change feed ---------------------------------------------------------------

ListChangeKind = Literal["listed", "removed"]


@dataclass(slots=True)
class ListChange:
    change: ListChangeKind
    reason: str  # removed: removed / revoked / expired / withdrawn
    reason_text: str
    changed_at: dt.datetime
    list_code: str
    entry_id: int | None
    record_id: int | None
    entry: PublicEntry | None  # the public content; None when removed


@dataclass(slots=True)
class ListChangePage:
    changes: list[ListChange]
    position: FeedPosition
    more: bool


# Two sources, one order: (updated_at, source, id), entries before records at the
# same moment. A position's `last_id` carries the source in its sign: positive for
# an entry, negative for a record (`-id`); the cursor is the records feed's
# (`records.selectors.encode_cursor`, `parse_since(..., signed=True)`).
_ENTRY, _RECORD = 0, 1
_AFTER_ALL = 2**62  # greater than any id


def _position_in(source: int, since: FeedPosition) -> FeedPosition:
    """Where `source`'s rows start, as a position of its own (updated_at, id) order."""
    moment, last = since
    last_source = _RECORD if last < 0 else _ENTRY
    if source == last_source:
        return FeedPosition(moment, abs(last))
    # The other source: at the same moment, entries all come before records.
    return FeedPosition(moment, 0 if source == _RECORD else _AFTER_ALL)


def _entry_change(entry: ListEntry) -> ListChange:
    if entry.status == ListEntry.Status.DECIDED and entry.publication_suspended:
        return ListChange(
            "removed",
            "suspended",
            str(_("异议处理中，暂停公示")),
            entry.updated_at,
            entry.list_type.code,
            entry.pk,
            None,
            None,
        )
    if entry.status == ListEntry.Status.DECIDED and entry.in_force_on(clock.today()):
        return ListChange(
            "listed",
            "",
            "",
            entry.updated_at,
            entry.list_type.code,
            entry.pk,
            None,
            entry_public(entry),
        )
    reason = entry.status if entry.status != ListEntry.Status.DECIDED else ListEntry.Status.EXPIRED
    person = entry.subject.kind == PERSON
    text = scrub_text(entry.end_reason, person_names=[entry.subject.name] if person else [])
    return ListChange(
        "removed",
        reason,
        text or str(ListEntry.Status(reason).label),
        entry.updated_at,
        entry.list_type.code,
        entry.pk,
        None,
        None,
    )


def _record_change(record: Record, list_type: ListType, visible: bool) -> ListChange:
    if visible:
        return ListChange(
            "listed",
            "",
            "",
            record.updated_at,
            list_type.code,
            None,
            record.pk,
            record_public(record, list_type),
        )
    if record.status == Record.Status.WITHDRAWN:
        reason, text = "withdrawn", records.record_scrub(record, record.withdrawn_reason)
    else:
        reason, text = "expired", str(Record.UnpublishReason.EXPIRED.label)
    return ListChange(
        "removed", reason, text, record.updated_at, list_type.code, None, record.pk, None
    )


def list_changes_since(since: FeedPosition, limit: int) -> ListChangePage:
    """Listings and removals after a position, oldest first, at most `limit`:
    entries decided here once published (listed; removed when removed,
    revoked or expired) and records of the feeding items once public (listed;
    removed when withdrawn, e.g. by the court, or expired). Two statements,
    each a range of its (updated_at, id) index; merged in (updated_at,
    source, id) order."""
    moment = since.moment
    entry_rows = list(
        ListEntry.objects.filter(
            RowAfter(*_position_in(_ENTRY, since)),
            updated_at__gte=moment,
            published_on__isnull=False,
            list_type__is_public=True,
        )
        .exclude(Q(subject__kind=PERSON) & Q(list_type__publish_persons=False))
        .select_related("list_type", "subject", "decided_by")
        .order_by("updated_at", "id")[: limit + 1]
    )
    fed = {
        t.feed_item_id: t
        for t in list_types_public().filter(source=ListType.Source.CATALOG_ITEM)
        if t.feed_item_id is not None
    }
    record_rows: list[Record] = []
    if fed:
        record_rows = list(
            records.changes_query_for_items(list(fed), since=_position_in(_RECORD, since)).exclude(
                Q(subject__kind=PERSON) & Q(item__list_types__publish_persons=False)
            )[: limit + 1]
        )
    merged: list[tuple[tuple[dt.datetime, int, int], ListEntry | Record]] = [
        ((e.updated_at, _ENTRY, e.pk), e) for e in entry_rows
    ] + [((r.updated_at, _RECORD, r.pk), r) for r in record_rows]
    merged.sort(key=lambda pair: pair[0])
    more = len(merged) > limit
    merged = merged[:limit]
    changes: list[ListChange] = []
    for _key, obj in merged:
        if isinstance(obj, ListEntry):
            changes.append(_entry_change(obj))
        else:
            changes.append(_record_change(obj, fed[obj.item_id], obj.visible))  # type: ignore[attr-defined]
    if merged:
        (last_moment, source, last_id), _obj = merged[-1]
        position = FeedPosition(last_moment, -last_id if source == _RECORD else last_id)
    else:
        position = since
    return ListChangePage(changes, position, more)
