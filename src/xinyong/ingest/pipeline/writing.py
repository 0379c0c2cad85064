"""The writing side of an import: subjects resolved and records written chunk
by chunk, each chunk its own short transaction (its records staged, its new
subjects pending: invisible until the batch is done), rejected rows kept
with their errors; the counts that end on the batch."""

import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
from django.db import connection, transaction

from xinyong.core import clock
from xinyong.core.db import dialect
from xinyong.core.db.bulk import insert_rows
from xinyong.core.env import env_int
from xinyong.ingest.models import (
    Batch,
    RejectedRow,
    WarnedRow,
    batch_source,
    seal_rejected_errors,
    seal_rejected_values,
)
from xinyong.ingest.pipeline.parallel import parallel_parts
from xinyong.ingest.pipeline.reading import Chunk, Reading, read_and_validate
from xinyong.records.models import Record
from xinyong.records.services import ROW_COLUMNS, record_warnings_store, record_write_chunk
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.search import subject_index_deferred
from xinyong.subjects.services import subject_resolve_prepared

_COLLECT_EVERY = 25  # chunks (50,000 rows)
# Chunks after which PostgreSQL's statistics are refreshed: whenever the
# tables may have doubled (3, 10, 25, 50, 100, 200, …): plans only need the
# order of magnitude, and each ANALYZE has its cost (bench/README.md).
_ANALYZE_AT = {3, 10, *(25 * 2**k for k in range(20))}


class Counts:
    __slots__ = (
        "accepted",
        "coded_rows",
        "created",
        "late",
        "received",
        "rejected",
        "unchanged",
        "updated",
        "warned",
        "wrong_codes",
    )

    def __init__(self) -> None:
        self.received = self.accepted = self.rejected = self.coded_rows = self.wrong_codes = 0
        self.created = self.updated = self.unchanged = self.late = self.warned = 0


@dataclass(slots=True)
class Timings:
    """Where an import's time went, in seconds; logged when a batch is done
    (`xinyong bench ingest` prints it)."""

    # The writing side: resolving subjects and writing chunks ...
    writing: float = 0.0
    # ... and waiting for the next chunk (reading it, when in one process).
    waiting: float = 0.0
    # Then, once: the new records turned active behind the batch's gate (a
    # transaction per chunk), the batch made live (corrections merged, their
    # windows, the gate removed) and its COMMIT.
    activate: float = 0.0
    publish: float = 0.0
    commit: float = 0.0


def import_pause() -> float:
    """Seconds an import leaves the database to other writers between two
    of its transactions (`XINYONG_IMPORT_YIELD_MS`, default 50; SQLite only:
    `Dialect.yield_writes`)."""
    return env_int("XINYONG_IMPORT_YIELD_MS", 50) / 1000


def run_rows(
    batch: Batch,
    schema: dict,
    rows_factory: Callable[[], Iterable[list]],
    *,
    parallel: bool,
    timings: Timings,
    progress: Callable[[Counts], None] | None = None,
) -> Counts:
    """Validate and write the rows of a batch, adding the writing side's time
    to `timings` and reporting the counts so far to `progress` after each
    chunk. Each chunk is one transaction of its own (on SQLite the write
    lock is free between chunks), its rows staged; outside any transaction."""
    reading = Reading(batch, schema, clock.today())
    pause = import_pause()
    if parallel:
        parts = parallel_parts(reading, rows_factory)
    else:
        parts = read_and_validate(reading, rows_factory())
    try:
        header_map = next(parts)
        if not isinstance(header_map, dict):
            raise RuntimeError("the reading side did not begin with the header map")
        batch.header_map = header_map
        counts = Counts()
        mark = time.perf_counter()
        for number, chunk in enumerate(parts, start=1):
            if not isinstance(chunk, Chunk):
                raise RuntimeError("the reading side sent a second header map")
            started = time.perf_counter()
            timings.waiting += started - mark
            if number % _COLLECT_EVERY == 0:
                # The cyclic collector is off during an import (see `process`);
                # clear what cycles the writing side made (query and model
                # objects), or memory grows with the file.
                gc.collect()
            reading.finish(chunk)  # if the reading side left it
            counts.received += chunk.received
            counts.rejected += len(chunk.rejected)
            counts.coded_rows += chunk.coded
            counts.wrong_codes += chunk.wrong_codes
            with transaction.atomic(), subject_index_deferred(connection):
                _write_chunk(batch, reading, chunk, counts, analyze=number in _ANALYZE_AT)
            if progress is not None:
                progress(counts)
            mark = time.perf_counter()
            timings.writing += mark - started
            # Other writers (an API push, a login) between two chunks.
            dialect().yield_writes(pause)
            mark = time.perf_counter()
    finally:
        parts.close()  # ends the reading process, whatever happened here
    return counts


def _write_chunk(
    batch: Batch, reading: Reading, chunk: Chunk, counts: Counts, *, analyze: bool
) -> None:
    """One chunk's transaction: its subjects, records (staged) and rejected rows.
    New subjects enter the search index in bulk at its end (SQLite)."""
    # PostgreSQL: foreign keys checked per statement, statistics refreshed
    # while the tables grow (see `importing._check_references_per_statement`).
    dialect().check_constraints_per_statement()
    if analyze:
        _refresh_statistics()
    _write(batch, reading, chunk.valid, counts)
    insert_rows(
        connection.ops.quote_name(RejectedRow._meta.db_table),
        ("batch_id", "row_number", "values", "errors"),
        [
            (
                batch.pk,
                row.row_number,
                # One encryption per rejected row: its cells may hold an ID number.
                orjson.dumps(seal_rejected_values(row.values)).decode(),
                # The errors too: a message may quote the value.
                orjson.dumps(seal_rejected_errors(row.errors)).decode(),
            )
            for row in chunk.rejected
        ],
    )
    _write_warnings(batch, chunk, counts)


# The columns the import's look-ups filter on, per table: ANALYZE reads only
# these (the row count is refreshed whatever the columns). Statistics of the
# others (the records' JSON content above all, the costliest to sample) are
# left to autovacuum, which analyzes the tables after the import commits.
_LOOKUP_COLUMNS = (
    (Record, ("department_id", "item_id", "record_key")),
    (Subject, ("uscc", "id_digest", "kind", "name_key")),
    (SubjectIdentifier, ("kind", "value")),
)


def _refresh_statistics() -> None:
    """PostgreSQL plans the import's look-ups from table statistics; a table
    that grows by a million rows inside one transaction still looks empty to
    the planner, which then scans it whole for every chunk (quadratic time).
    ANALYZE may run inside the transaction and counts its own new rows
    (a no-op on SQLite, which plans from its indexes)."""
    for model, columns in _LOOKUP_COLUMNS:
        dialect().analyze(model._meta.db_table, columns)


def _write(batch: Batch, reading: Reading, valid: list[tuple], counts: Counts) -> None:
    if not valid:
        return
    subject_ids = subject_resolve_prepared(
        department_id=batch.department_id,
        rows=[subject for _values, subject in valid],
        source=batch_source(batch.pk),
        pending_batch_id=batch.pk,
    )
    outcome = record_write_chunk(
        item_id=batch.item_id,
        version_id=reading.version_id,
        department_id=batch.department_id,
        batch_id=batch.pk,
        submitted_on=reading.today,
        rows=[
            (subject_id, values)
            for subject_id, (values, _s) in zip(subject_ids, valid, strict=True)
        ],
    )
    counts.accepted += len(valid)
    counts.created += outcome.created
    counts.updated += outcome.updated
    counts.unchanged += outcome.unchanged
    counts.late += outcome.late


_KEY_AT = ROW_COLUMNS.index("record_key")
_ROW_AT = ROW_COLUMNS.index("source_row")


def _write_warnings(batch: Batch, chunk: Chunk, counts: Counts) -> None:
    """Keep the consistency warnings of a chunk's accepted rows: per row with
    the batch (`WarnedRow`), and on each record whose content they are about
    (the last row of its key in the chunk)."""
    if not chunk.warned:
        return
    last_row = {values[_KEY_AT]: values[_ROW_AT] for values, _subject in chunk.valid}
    accepted = {values[_ROW_AT] for values, _subject in chunk.valid}
    warned = [entry for entry in chunk.warned if entry[0] in accepted]
    counts.warned += len(warned)
    insert_rows(
        connection.ops.quote_name(WarnedRow._meta.db_table),
        ("batch_id", "row_number", "record_key", "warnings"),
        [(batch.pk, row, key, orjson.dumps(found).decode()) for row, key, found in warned],
    )
    record_warnings_store(
        department_id=batch.department_id,
        item_id=batch.item_id,
        batch_id=batch.pk,
        warnings={key: found for row, key, found in warned if last_row.get(key) == row},
    )
