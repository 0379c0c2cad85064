"""Computing windows for stored records and writing them back in bulk.

Nothing here saves a record at a time: the rows are streamed in chunks,
decided in Python by `WindowComputer`, and each chunk is written back with a
constant number of statements (`write_windows`).
"""

import datetime as dt

from django.db.models import Min, QuerySet

from xinyong.core import clock
from xinyong.core.db import bulk
from xinyong.records.disclosure.windows import (
    WINDOW_COLUMNS,
    StepCounts,
    Window,
    WindowComputer,
)
from xinyong.records.models import Record


def write_windows(computed: list[tuple[int, Window]], now: dt.datetime) -> None:
    """Write computed windows back, each `(record id, window)`, with
    `updated_at = now` (the change feed reads it), in a constant number of
    statements (`core.db.bulk.update_rows`)."""
    bulk.update_rows(
        Record,
        WINDOW_COLUMNS,
        [(*window, pk) for pk, window in computed],
        also={"updated_at": now},
    )


def _compute_and_write(
    computer: WindowComputer, queryset: QuerySet[Record], now: dt.datetime
) -> int:
    """Compute the windows of the records of `queryset` and write them back;
    how many there were."""
    computed = [(pk, computer.compute(state)) for pk, state in computer.select(queryset)]
    write_windows(computed, now)
    return len(computed)


def fill_batch(
    batch_id: int, day: dt.date, counts: StepCounts | None = None, *, chunk: int = 5_000
) -> StepCounts:
    """Compute the windows of the records a batch created or corrected and
    place them in (or out of) the public view as of `day`, the submission
    day: a public, decided record inside its window is published at once.
    Streams the batch in chunks of ids (constant memory)."""
    counts = counts or StepCounts()
    computer = WindowComputer(day, counts)
    now = clock.now()
    # Records inserted with their window (the intake computes it on insert)
    # are done; corrected ones come back with disclosure_rule = ''.
    batch = Record.objects.filter(source_batch_id=batch_id, disclosure_rule="").order_by()
    # SQL intent: windows of `chunk` consecutive ids, each a bounded range of
    # `record_batch_idx` (source_batch_id, id) — no ORDER BY … LIMIT, whose
    # plan PostgreSQL gets wrong for a batch its statistics do not know yet
    # (it is filled before its transaction commits); empty stretches between
    # corrected old records and the new ones are skipped with MIN(id).
    low = batch.aggregate(low=Min("pk"))["low"]
    while low is not None:
        high = low + chunk
        _compute_and_write(computer, batch.filter(pk__gte=low, pk__lt=high), now)
        low = batch.filter(pk__gte=high).aggregate(low=Min("pk"))["low"]
    return counts


def fill_uncomputed(
    day: dt.date, counts: StepCounts | None = None, *, chunk: int = 5_000
) -> StepCounts:
    """The catch-up of `xinyong daily`: records written without their window
    (before this feature, by a path that skipped `record_disclosure_fill`, or
    a correction that reset it). Each computed row leaves the set."""
    counts = counts or StepCounts()
    computer = WindowComputer(day, counts)
    now = clock.now()
    # Not an unfinished import's rows: its end computes them (`records.staging`).
    uncomputed = Record.objects.live().filter(disclosure_rule="").order_by()
    while True:
        if not _compute_and_write(computer, uncomputed[:chunk], now):
            return counts
