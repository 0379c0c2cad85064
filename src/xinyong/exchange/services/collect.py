"""The producers the exchange runs itself: the 双公示 records and new subjects.

Lists (entries, removals) and rights (objection results) write their outbox
rows inside their own services' transactions. Records and subjects are
written by the bulk intake (thousands of rows per statement), where a row
per change would double the hot path's writes; they already keep what the
exchange needs, so the exchange reads them incrementally instead and maps
them to the national format here (the mapping lives in one place):

- the records change feed (`records.selectors.changes_query`: every state
  change sets `updated_at`; an unfinished import's rows enter it when the
  batch is done, behind its gate): added and corrected records become
  `upsert` messages, withdrawn, expired or undisclosed ones `withdraw` /
  `unpublish` messages;
- subjects with a USCC, by id, live ones only (an import's pending subjects
  wait until their batch is done; the cursor never passes them).

Each run writes its messages and the cursor in one transaction, so a
killed run leaves the cursor where its messages end; the idempotency keys
make a run that repeats a stretch add nothing.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Min

from xinyong.core import clock
from xinyong.core.outbox import outbox_enqueue
from xinyong.exchange import formats
from xinyong.exchange.models import Cursor
from xinyong.records import selectors as record_selectors
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

RECORDS_CURSOR = "out:records"
SUBJECTS_CURSOR = "out:subjects"
BATCH = 500
_START = record_selectors.FeedPosition(dt.datetime(1970, 1, 1, tzinfo=dt.UTC), 0)


def _cursor(name: str) -> Cursor:
    cursor, _created = Cursor.objects.select_for_update().get_or_create(
        name=name, defaults={"position": "", "updated_at": clock.now()}
    )
    return cursor


def _save(cursor: Cursor, position: str) -> None:
    cursor.position = position
    cursor.updated_at = clock.now()
    cursor.save(update_fields=["position", "updated_at"])


@transaction.atomic
def collect_records(*, limit: int = BATCH) -> int:
    """One page of the records change feed into the outbox; returns the
    number of changes read (0: caught up)."""
    cursor = _cursor(RECORDS_CURSOR)
    since = record_selectors.parse_since(cursor.position) if cursor.position else _START
    page = record_selectors.changes_since(since, limit)
    if not page.changes and page.position == since:
        return 0
    records = Record.objects.select_related("item", "subject").in_bulk(
        [change.record_id for change in page.changes]
    )
    for change in page.changes:
        record = records[change.record_id]
        if change.change == "removed":
            payload = formats.record_removal_payload(
                record, reason=change.reason, reason_text=change.reason_text
            )
            key = f"{formats.RECORD_TOPIC}:{record.pk}:r{record.revision}:{change.reason}"
        else:
            payload = formats.record_upsert_payload(record)
            key = (
                f"{formats.RECORD_TOPIC}:{record.pk}:r{record.revision}:{record.content_hash[:16]}"
            )
        outbox_enqueue(
            topic=formats.RECORD_TOPIC,
            key=f"Record:{record.pk}",
            payload=payload,
            idempotency_key=key,
            department_id=record.department_id,
        )
    _save(cursor, record_selectors.encode_cursor(page.position))
    return len(page.changes) or 1


@transaction.atomic
def collect_subjects(*, limit: int = BATCH) -> int:
    """New subjects' codes (those with a USCC) into the outbox, by id; the
    cursor stops before the first subject an unfinished import still holds."""
    cursor = _cursor(SUBJECTS_CURSOR)
    after = int(cursor.position or 0)
    rows = Subject.objects.filter(pk__gt=after)
    held = rows.filter(pending_batch_id__isnull=False).aggregate(first=Min("pk"))["first"]
    if held is not None:
        rows = rows.filter(pk__lt=held)
    page = list(rows.order_by("pk")[:limit])
    if not page:
        return 0
    for subject in page:
        if subject.uscc:
            outbox_enqueue(
                topic=formats.SUBJECT_TOPIC,
                key=f"Subject:{subject.pk}",
                payload=formats.subject_payload(subject),
                idempotency_key=f"{formats.SUBJECT_TOPIC}:{subject.pk}:{subject.uscc}",
            )
    _save(cursor, str(page[-1].pk))
    return len(page)


def collect_all(*, pages: int = 20) -> int:
    """Up to `pages` pages of each producer; returns the changes read."""
    total = 0
    for step in (collect_records, collect_subjects):
        for _page in range(pages):
            read = step()
            total += read
            if not read:
                break
    return total
