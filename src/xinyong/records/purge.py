"""The purge (遗忘, issue 14 §7): negative information is deleted from the
platform's working tables N years after the conduct or penalty ended.

N is per catalog item (`RetentionRule`), by default
`settings.XINYONG_RETENTION_YEARS` (5: the NDRC's statement of 2019 and
征信业管理条例 art. 16, "自不良行为或者事件终止之日起5年", DOMAIN §3).

- **When a record ended**: its 有效期至 (`valid_to`: the penalty's end) if it
  has one, else its decision date. A `valid_to` of 2099-12-31 or later (the
  双公示 standard's "长期") never ends.
- **What is kept**: a record still inside a disclosure window (a law may set
  a longer one), one under objection (`disputed`), or one another app holds
  (a `PurgeHook`'s `keep`: rights keeps a record with an open application);
  those wait for a later run.
- **What goes**, a chunk per transaction: the record, its revisions, what
  other apps hold about it (each `PurgeHook`'s `forget`), and each of its
  subjects that nothing else names any more (with its codes, aliases and
  sightings, and so its row in the search index, which triggers keep).
- **What stays**: a `PurgeTombstone` per day, item and department (count,
  span of end dates), a `PurgedRecord` per deleted record that had been
  public (the change feed's `removed`, reason `purged`), one audit row per
  chunk with the counts; the public CSV files are rebuilt.

`purge_run` is idempotent: a second run finds nothing; a run killed between
chunks leaves the finished chunks done and the rest for the next run.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.outbox import outbox_enqueue
from xinyong.records import exports
from xinyong.records.audit_actions import RECORD_PURGE
from xinyong.records.models import PurgedRecord, PurgeTombstone, Record, RecordRevision
from xinyong.records.purged import RetentionRule
from xinyong.subjects.models import (
    Subject,
    SubjectAlias,
    SubjectConflict,
    SubjectIdentifier,
    SubjectSighting,
)

OUTBOX_TOPIC = "records.purge"
# The 双公示 standard's "长期" (2099/12/31): a validity that never ends.
LONG_TERM = dt.date(2099, 12, 31)


class PurgeHook(Protocol):
    """What an app below `records` holds about records (rights: objections).
    `keep` names the records it still needs (not purged this time);
    `forget` deletes what it holds about the records being purged, inside
    the chunk's transaction."""

    def keep(self, record_ids: list[int]) -> set[int]: ...

    def forget(self, record_ids: list[int]) -> None: ...


_HOOKS: list[PurgeHook] = []


def register_purge_hook(hook: PurgeHook) -> None:
    """Called from an app's `ready()`; registering the same hook twice is a no-op."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True, slots=True)
class ItemRetention:
    item: CatalogItem
    years: int
    cutoff: dt.date  # records that ended on or before this day are due


def retentions(day: dt.date) -> list[ItemRetention]:
    """The negative catalog items and their retention on `day`."""
    years = dict(RetentionRule.objects.values_list("item_id", "years"))
    default = settings.XINYONG_RETENTION_YEARS
    out = []
    for item in CatalogItem.objects.filter(nature=CatalogItem.Nature.NEGATIVE).order_by("pk"):
        n = years.get(item.pk, default)
        out.append(ItemRetention(item=item, years=n, cutoff=years_before(day, n)))
    return out


def due_records(retention: ItemRetention, day: dt.date) -> QuerySet[Record]:
    """The item's records due for deletion on `day`, by id. SQL intent: the
    (item, decision_date) index gives the item's rows; the end date and the
    states are checked on them (a purge is rare and runs in the background)."""
    cutoff = retention.cutoff
    ended = Q(valid_to__isnull=False, valid_to__lt=LONG_TERM, valid_to__lte=cutoff) | Q(
        valid_to__isnull=True, decision_date__isnull=False, decision_date__lte=cutoff
    )
    return (
        Record.objects.live()
        .filter(ended, item=retention.item, disputed=False)
        .exclude(disclosure_end__gte=day)
        .order_by("pk")
    )


@dataclass(slots=True)
class PurgeCounts:
    records: int = 0
    revisions: int = 0
    subjects: int = 0
    kept: int = 0  # due, but held (an open application)
    by_item: dict[str, int] = field(default_factory=dict)


# A subject deleted with its last record takes these along; anything else that
# names it (a list entry, a check, another record) keeps it.
_SUBJECT_OWN = {Subject, SubjectIdentifier, SubjectAlias, SubjectConflict, SubjectSighting}


def _forget_subjects(subject_ids: Iterable[int]) -> int:
    """Delete the subjects that nothing but their own rows names any more."""
    deleted = 0
    for subject in Subject.objects.filter(pk__in=set(subject_ids)).order_by("pk"):
        if Record.objects.filter(subject=subject).exists():
            continue
        if RecordRevision.objects.filter(subject=subject).exists():
            continue
        collector = Collector(using="default")
        try:
            collector.collect([subject])
        except (ProtectedError, RestrictedError):
            continue
        others = [m for m in collector.data if m not in _SUBJECT_OWN]
        others += [
            qs.model
            for qs in collector.fast_deletes
            if qs.model not in _SUBJECT_OWN and qs.exists()
        ]
        if others:
            continue
        collector.delete()
        deleted += 1
    return deleted


@transaction.atomic
def _purge_chunk(
    retention: ItemRetention, ids: list[int], day: dt.date, counts: PurgeCounts
) -> int:
    rows = list(
        Record.objects.select_for_update()
        .filter(pk__in=ids)
        .values("pk", "department_id", "subject_id", "valid_to", "decision_date", "published_on")
    )
    ids = [r["pk"] for r in rows]
    if not ids:
        return 0
    subjects = {r["subject_id"] for r in rows if r["subject_id"]}
    subjects |= set(
        RecordRevision.objects.filter(record_id__in=ids, subject__isnull=False).values_list(
            "subject_id", flat=True
        )
    )
    spans: dict[int, list[dt.date]] = defaultdict(list)
    for r in rows:
        # `due_records` selected only records with one of the two.
        ended: dt.date | None = r["valid_to"] or r["decision_date"]
        if ended is not None:
            spans[r["department_id"]].append(ended)
    for hook in _HOOKS:
        hook.forget(ids)
    revisions, _ = RecordRevision.objects.filter(record_id__in=ids).delete()
    Record.objects.filter(pk__in=ids).delete()
    now = clock.now()
    PurgedRecord.objects.bulk_create(
        [
            PurgedRecord(record_id=r["pk"], item_id=retention.item.pk, purged_at=now)
            for r in rows
            if r["published_on"] is not None
        ]
    )
    for department_id, ends in spans.items():
        tomb, created = PurgeTombstone.objects.select_for_update().get_or_create(
            purged_on=day,
            item_id=retention.item.pk,
            department_id=department_id,
            defaults={
                "retention_years": retention.years,
                "ended_from": min(ends),
                "ended_to": max(ends),
                "count": len(ends),
                "updated_at": now,
            },
        )
        if not created:
            tomb.count = F("count") + len(ends)
            tomb.ended_from = min(tomb.ended_from, *ends)
            tomb.ended_to = max(tomb.ended_to, *ends)
            tomb.updated_at = now
            tomb.save(update_fields=["count", "ended_from", "ended_to", "updated_at"])
    forgotten = _forget_subjects(subjects)
    exports.export_request(withdrawal=True)
    # The provincial exchange deletes them too (ids only: nothing personal).
    outbox_enqueue(
        topic=OUTBOX_TOPIC,
        key=f"purge:{day.isoformat()}:{retention.item.code}:{ids[0]}",
        payload={
            "event": "purge",
            "item": retention.item.code,
            "purged_on": day.isoformat(),
            "record_ids": ids,
        },
    )
    audit_record(
        action=RECORD_PURGE,
        object_id=day.isoformat(),
        object_label=retention.item.code,
        after={
            "date": day.isoformat(),
            "item": retention.item.code,
            "retention_years": retention.years,
            "records": len(ids),
            "revisions": revisions,
            "subjects": forgotten,
        },
    )
    counts.records += len(ids)
    counts.revisions += revisions
    counts.subjects += forgotten
    counts.by_item[retention.item.code] = counts.by_item.get(retention.item.code, 0) + len(ids)
    return len(ids)


def purge_run(day: dt.date, *, chunk: int | None = None, dry_run: bool = False) -> PurgeCounts:
    """Delete every negative record due on `day`, a chunk per transaction.
    `dry_run` counts what is due (and what is held) and changes nothing."""
    chunk = chunk or settings.XINYONG_PURGE_CHUNK
    counts = PurgeCounts()
    for retention in retentions(day):
        last = 0
        while True:
            ids = list(
                due_records(retention, day).filter(pk__gt=last).values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                break
            last = ids[-1]
            held: set[int] = set()
            for hook in _HOOKS:
                held |= hook.keep(ids)
            counts.kept += len(held)
            ids = [i for i in ids if i not in held]
            if not ids:
                continue
            if dry_run:
                counts.records += len(ids)
                counts.by_item[retention.item.code] = counts.by_item.get(
                    retention.item.code, 0
                ) + len(ids)
                continue
            _purge_chunk(retention, ids, day, counts)
    return counts
