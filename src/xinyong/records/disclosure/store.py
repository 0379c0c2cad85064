"""Computing windows for stored records and writing them back in bulk.

Nothing here saves a record at a time: the rows are streamed in chunks,
decided in Python by `WindowComputer`, and each chunk is written back with a
constant number of statements (`write_windows`).
"""

import datetime as dt

from django.db import connection
from django.db.models import Min, QuerySet

from xinyong.core import clock
from xinyong.records.disclosure.windows import (
    WINDOW_COLUMNS,
    StepCounts,
    Window,
    WindowComputer,
)
from xinyong.records.models import Record


def write_windows(computed: list[tuple[int, Window]], now: dt.datetime) -> None:
    """Write computed windows back, each `(record id, window)`, with
    `updated_at = now` (the change feed reads it): one prepared UPDATE run
    for every row (SQLite), or COPY into a temporary table and one
    UPDATE … FROM (PostgreSQL)."""
    if not computed:
        return
    table = connection.ops.quote_name(Record._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The temporary table's columns have the types of the record's.
            fields = {field.name: field for field in Record._meta.concrete_fields}
            columns = ", ".join(
                f"{fields[name].column} {fields[name].db_type(connection)}"
                for name in WINDOW_COLUMNS
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS xy_window ({columns}, id bigint) "
                "ON COMMIT DROP"
            )
            with cursor.cursor.copy(
                f"COPY xy_window ({', '.join(WINDOW_COLUMNS)}, id) FROM STDIN"
            ) as copy:
                for pk, window in computed:
                    copy.write_row((*window, pk))
            assignments = ", ".join(f"{c} = w.{c}" for c in WINDOW_COLUMNS)
            cursor.execute(
                # The table and column names come from _meta; the value is a parameter.
                f"UPDATE {table} AS r SET {assignments}, updated_at = %s "  # noqa: S608
                "FROM xy_window AS w WHERE r.id = w.id",
                [now],
            )
            cursor.execute("TRUNCATE xy_window")
            return
        assignments = ", ".join(f"{c} = %s" for c in WINDOW_COLUMNS)
        stamp = connection.ops.adapt_datetimefield_value(now)
        cursor.executemany(
            # The table and column names come from _meta; the values are parameters.
            f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
            [(*window, stamp, pk) for pk, window in computed],
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
    uncomputed = Record.objects.filter(disclosure_rule="").order_by()
    while True:
        if not _compute_and_write(computer, uncomputed[:chunk], now):
            return counts
