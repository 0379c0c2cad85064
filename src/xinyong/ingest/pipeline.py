"""Processing of one batch: read, match the header, validate row by row,
write in chunks. Every received row ends accepted or rejected; a problem
with the file as a whole fails the batch and nothing of it is kept."""

import contextlib
import datetime as dt
import gc
import itertools
import logging
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

import orjson
from django.db import connection, transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.bulk import insert_rows
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError
from xinyong.core.workdays import get_calendar
from xinyong.ingest.headers import HEADER_SEARCH_ROWS, find_header
from xinyong.ingest.models import Batch, RejectedRow
from xinyong.ingest.validation import RowResult, RowValidator
from xinyong.records.disclosure import StepCounts, WindowComputer
from xinyong.records.models import Record
from xinyong.records.services import record_disclosure_fill, record_row_values, record_write_chunk
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.search import subject_index_deferred
from xinyong.subjects.services import prepare, subject_resolve_prepared

logger = logging.getLogger(__name__)

CHUNK_ROWS = 2_000
_COLLECT_EVERY = 25  # chunks (50,000 rows)
# Chunks after which PostgreSQL's statistics are refreshed: whenever the
# tables may have doubled (3, 10, 25, 50, 100, 200, …): plans only need the
# order of magnitude, and each ANALYZE costs a fraction of a second.
_ANALYZE_AT = {3, 10, *(25 * 2**k for k in range(20))}
# Column limits of the record table; a longer value is the row's error, not a crash.
_LIMITS = {"doc_number": 200, "record_key": 300, "subject_name": 200}


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
        "wrong_codes",
    )

    def __init__(self):
        self.received = self.accepted = self.rejected = self.coded_rows = self.wrong_codes = 0
        self.created = self.updated = self.unchanged = self.late = 0


@dataclass(slots=True)
class Timings:
    """Where an import's time went, in seconds; logged when a batch is done
    (`xinyong bench ingest` prints it)."""

    # The writing side: resolving subjects and writing chunks ...
    writing: float = 0.0
    # ... and waiting for the next chunk (reading it, when in one process).
    waiting: float = 0.0
    # Then, once: the new subjects into the search index (SQLite), the
    # disclosure windows, the COMMIT.
    index: float = 0.0
    disclosure: float = 0.0
    commit: float = 0.0


def _is_blank(cells) -> bool:
    try:
        return not "".join(cells).strip()  # a CSV row: strings only, one C call
    except TypeError:
        return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime) and cell.time() == dt.time(0):
        return cell.date().isoformat()
    return str(cell)


class _DueDates:
    """Submission deadlines by decision date, memoised (dates repeat a lot)."""

    def __init__(self, schema: dict):
        self.within = int(schema.get("submit_within") or 7)
        self.in_workdays = schema.get("submit_unit") == "workdays"
        self._cache: dict[dt.date, dt.date] = {}
        self._calendar = get_calendar() if self.in_workdays else None

    def due(self, decided: dt.date) -> dt.date:
        due = self._cache.get(decided)
        if due is None:
            if self.in_workdays:
                due = self._calendar.add_workdays(decided, self.within).date
            else:
                due = decided + dt.timedelta(days=self.within)
            self._cache[decided] = due
        return due


class _Chunk:
    """What the reading side hands the writing side: a run of rows, each either
    valid (with its content) or rejected (with its values and errors)."""

    __slots__ = ("coded", "finished", "received", "rejected", "valid", "wrong_codes")

    def __init__(self):
        self.received = self.coded = self.wrong_codes = 0
        # Validated rows as (pending, subject candidate); once finished
        # (`Reading.finish`), as (record values in records.services.ROW_COLUMNS
        # order, prepared subject). Compact tuples, cheap between processes.
        self.valid: list[tuple] = []
        self.rejected: list[tuple[int, dict, list]] = []
        self.finished = False


class Reading:
    """What the reading side needs, prepared by the writing process before a
    worker forks: nothing in it touches the database afterwards (the catalog
    schema, the day, the working-day calendar, the disclosure rules)."""

    def __init__(self, batch: Batch, schema: dict, today: dt.date):
        self.schema = schema
        self.today = today
        self.item_id = batch.item_id
        self.department_id = batch.department_id
        self.version_id = batch.version_id
        self.dues = _DueDates(schema)
        self.windows = WindowComputer(today, StepCounts())
        self.windows.prepare(batch.version_id)
        self._labels = {field["key"]: field["label"] for field in schema["fields"]}

    def pending(self, row_number: int, result: RowResult) -> tuple:
        """What finishing a valid row needs, taken from its validation."""
        data = result.data
        return (
            row_number,
            result.record_key,
            result.doc_number or result.record_key,
            result.content_hash,
            orjson.dumps(data).decode(),
            result.decision_date,
            result.valid_from,
            result.valid_to,
            result.subject.kind if result.subject else "legal",
            # Only the fields a disclosure window reads (category, amount).
            {key: data[key] for key in self.windows.data_keys if key in data},
        )

    def finish(self, chunk: _Chunk) -> None:
        """Complete a chunk's valid rows: each record's values (submission
        due date, late flag, disclosure window) and its subject's name key
        and ID digest. No database: it runs on whichever side of an import
        has the time (see `read_and_validate`)."""
        if chunk.finished:
            return
        valid = []
        for pending, candidate in chunk.valid:
            try:
                valid.append((self._values(*pending), candidate))
            except Exception:  # a row never crashes a batch
                logger.exception("row %s", pending[0])
                # The row's cells are not at hand here: keep its validated
                # content under the standard headers, which re-import as is.
                content = {
                    self._labels.get(key, key): value
                    for key, value in orjson.loads(pending[4]).items()
                }
                chunk.rejected.append((pending[0], content, _unprocessable()))
        prepared = prepare([candidate for _values, candidate in valid])
        chunk.valid = [
            (values, subject) for (values, _c), subject in zip(valid, prepared, strict=True)
        ]
        chunk.finished = True

    def _values(
        self,
        row_number,
        key,
        doc,
        content_hash,
        data_json,
        decided,
        valid_from,
        valid_to,
        kind,
        data,
    ) -> tuple:
        due = self.dues.due(decided) if decided else None
        return record_row_values(
            windows=self.windows,
            item_id=self.item_id,
            department_id=self.department_id,
            version_id=self.version_id,
            row_number=row_number,
            record_key=key,
            doc_number=doc,
            content_hash=content_hash,
            data=data,
            data_json=data_json,
            decision_date=decided,
            valid_from=valid_from,
            valid_to=valid_to,
            submit_due=due,
            is_late=due is not None and self.today > due,
            subject_kind=kind,
        )


def read_and_validate(reading: Reading, rows: Iterable[list], finish_here=None) -> Iterator:
    """The reading side: first yields the header map, then `_Chunk`s.

    Pure computation (no database): it may run in a worker process. Each
    chunk is finished here (`Reading.finish`) unless `finish_here()` says
    otherwise: a worker leaves the finishing to the writing side while that
    side waits for chunks, so the work balances between the two processes
    (reading an xlsx costs more than a CSV; a writing side slows as tables grow).
    """
    schema = reading.schema
    rows = iter(rows)
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    header_index, columns, unknown = find_header(schema, head)
    header = [_cell_text(c).strip() for c in head[header_index]]
    yield {
        "columns": {header[col]: field["label"] for col, field in columns},
        "unknown": unknown,
        "header_row": header_index + 1,
    }
    validator = RowValidator(schema, columns, today=reading.today)
    key_fields = schema.get("key_fields") or [
        f["key"] for f in schema["fields"] if f.get("role") == "doc_number"
    ]
    names = [h or f"第{i + 1}列" for i, h in enumerate(header)]
    chunk = _Chunk()
    data_rows: Iterator[list] = itertools.chain(head[header_index + 1 :], rows)
    for row_number, cells in enumerate(data_rows, start=header_index + 2):
        if _is_blank(cells):
            continue
        chunk.received += 1
        pending = None
        try:
            result = validator.validate(cells)
            if result.ok:
                _check_limits(result, key_fields)
            if result.ok:
                pending = reading.pending(row_number, result)
        except Exception:  # a row never crashes a batch
            logger.exception("row %s", row_number)
            result = RowResult(False, _unprocessable())
        chunk.coded += result.coded
        chunk.wrong_codes += result.wrong_code
        if result.ok:
            chunk.valid.append((pending, result.subject))
        else:
            values = {
                (names[i] if i < len(names) else f"第{i + 1}列"): _cell_text(c)
                for i, c in enumerate(cells)
            }
            chunk.rejected.append((row_number, values, result.errors))
        if chunk.received >= CHUNK_ROWS:
            yield _handed_over(reading, chunk, finish_here)
            chunk = _Chunk()
    if chunk.received:
        yield _handed_over(reading, chunk, finish_here)


def _handed_over(reading: Reading, chunk: _Chunk, finish_here) -> _Chunk:
    if finish_here is None or finish_here():
        reading.finish(chunk)
    return chunk


def _unprocessable() -> list[dict]:
    """The error of a row that failed in an unexpected way (logged)."""
    return [{"field": "", "value": "", "message": _("无法处理该行，请联系信用办")}]


def _worker(reading, rows_factory, queue) -> None:
    """The reading side in a forked process: chunks go through a bounded queue
    (constant memory); a failure goes as ("error", code, message)."""
    gc.disable()
    try:
        # Finish a chunk here only while the writing side has chunks queued
        # (it is the slower side); when the queue is empty it waits, and
        # finishes the chunks itself.
        for part in read_and_validate(reading, rows_factory(), lambda: not queue.empty()):
            queue.put(("part", part))
        queue.put(("end", None))
    except ApplicationError as exc:
        queue.put(("error", (exc.code, exc.message)))
    except Exception as exc:
        logger.exception("reading worker")
        queue.put(("error", ("worker_failed", f"{type(exc).__name__}: {exc}")))


def _parallel(reading, rows_factory) -> Iterator:
    """Read and validate in a second process while this one writes: on two
    cores, the two halves of an import overlap."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)
    process = context.Process(target=_worker, args=(reading, rows_factory, queue), daemon=True)
    process.start()
    try:
        while True:
            kind, payload = queue.get()
            if kind == "part":
                yield payload
            elif kind == "end":
                return
            else:
                code, message = payload
                if code == "worker_failed":
                    raise RuntimeError(message)
                raise ApplicationError(code, message)
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=10)


def use_worker_process(size: int) -> bool:
    """A second process pays off for large files, and only where fork exists."""
    threshold = env_int("XINYONG_INGEST_PARALLEL_BYTES", 4 * 1024 * 1024)
    return (
        size >= threshold and "fork" in multiprocessing.get_all_start_methods() and threshold >= 0
    )


def run_rows(
    batch: Batch,
    schema: dict,
    rows_factory,
    *,
    parallel: bool,
    timings: Timings,
) -> Counts:
    """Validate and write the rows of a batch, adding the writing side's time
    to `timings`. Must run inside a transaction."""
    reading = Reading(batch, schema, clock.today())
    if parallel:
        parts = _parallel(reading, rows_factory)
    else:
        parts = read_and_validate(reading, rows_factory())
    batch.header_map = next(parts)
    counts = Counts()
    mark = time.perf_counter()
    for number, chunk in enumerate(parts, start=1):
        started = time.perf_counter()
        timings.waiting += started - mark
        if number % _COLLECT_EVERY == 0:
            # The cyclic collector is off during an import (see `process`);
            # clear what cycles the writing side made (query and model objects),
            # or memory grows with the file.
            gc.collect()
        if number in _ANALYZE_AT:
            _refresh_statistics()
        reading.finish(chunk)  # if the reading side left it
        counts.received += chunk.received
        counts.rejected += len(chunk.rejected)
        counts.coded_rows += chunk.coded
        counts.wrong_codes += chunk.wrong_codes
        _write(batch, chunk.valid, reading.today, counts)
        insert_rows(
            connection.ops.quote_name(RejectedRow._meta.db_table),
            ("batch_id", "row_number", "values", "errors"),
            [
                (batch.pk, n, orjson.dumps(values).decode(), orjson.dumps(errors).decode())
                for n, values, errors in chunk.rejected
            ],
        )
        mark = time.perf_counter()
        timings.writing += mark - started
    return counts


def _check_limits(result: RowResult, key_fields: list[str]) -> None:
    if not key_fields:
        result.record_key = result.content_hash
    else:
        missing = [k for k in key_fields if not result.data.get(k)]
        if missing:
            result.ok = False
            result.errors = [{"field": k, "value": "", "message": _("必填项为空")} for k in missing]
            return
        result.record_key = "|".join(result.data[k] for k in key_fields)
    for name, limit in _LIMITS.items():
        value = (
            result.record_key
            if name == "record_key"
            else (result.doc_number if name == "doc_number" else result.subject.name)
        )
        if len(value) > limit:
            result.ok = False
            result.errors = [
                {
                    "field": name,
                    "value": value[:50],
                    "message": _("长度为 %(n)d 个字符，超过上限 %(max)d")
                    % {"n": len(value), "max": limit},
                }
            ]
            return


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
    ANALYZE may run inside the transaction and counts its own new rows."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, columns in _LOOKUP_COLUMNS:
            names = ", ".join(quote(column) for column in columns)
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)} ({names})")


def _write(batch: Batch, valid: list[tuple], today: dt.date, counts: Counts) -> None:
    if not valid:
        return
    subject_ids = subject_resolve_prepared(
        department_id=batch.department_id,
        rows=[subject for _values, subject in valid],
        source=f"batch:{batch.pk}",
    )
    outcome = record_write_chunk(
        item_id=batch.item_id,
        version_id=batch.version_id,
        department_id=batch.department_id,
        batch_id=batch.pk,
        submitted_on=today,
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


def process(batch: Batch, rows_factory, *, parallel: bool = False) -> Batch:
    """Run a batch to its end: done with its counts, or failed with the reason
    and nothing of it written. `rows_factory()` opens the rows (it may raise
    a FileProblem, as may the iteration)."""
    batch.status = Batch.Status.PROCESSING
    batch.save(update_fields=["status"])
    # An import allocates millions of short-lived objects and makes no reference
    # cycles; the cyclic collector's passes only cost time (tens of ms each).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    timings = Timings()
    try:
        with transaction.atomic(), _import_cache():
            _check_references_per_statement()
            # New subjects enter the portal's search index in bulk at the end.
            with subject_index_deferred(connection):
                counts = run_rows(
                    batch, batch.version.schema, rows_factory, parallel=parallel, timings=timings
                )
                mark = time.perf_counter()
            timings.index = time.perf_counter() - mark
            # Disclosure windows (publish-by date, public from, public until) of
            # the records this batch created or corrected, in a few set-based steps.
            mark = time.perf_counter()
            record_disclosure_fill(batch_id=batch.pk)
            timings.disclosure = time.perf_counter() - mark
            for name in Counts.__slots__:
                setattr(batch, name, getattr(counts, name))
            if counts.received == 0:
                raise ApplicationError("no_rows", _("表头下没有数据行"))
            batch.status = Batch.Status.DONE
            batch.failure_reason = ""
            batch.finished_at = clock.now()
            batch.save()
            mark = time.perf_counter()
        timings.commit = time.perf_counter() - mark
        logger.info(
            "batch %s: %s rows; writing %.1f s, waiting for rows %.1f s, search index %.1f s, "
            "disclosure %.1f s, commit %.1f s",
            batch.pk,
            counts.received,
            *asdict(timings).values(),
            extra={"timings": asdict(timings)},
        )
    except ApplicationError as exc:
        _fail(batch, exc.message)
    except Exception:
        logger.exception("batch %s failed", batch.pk)
        _fail(batch, _("处理时发生内部错误，已全部回退，请联系信用办"))
    finally:
        if gc_was_enabled:
            gc.enable()
    return batch


def _check_references_per_statement() -> None:
    """On PostgreSQL, check the import's foreign keys as each statement ends
    instead of at COMMIT. Django declares them DEFERRABLE INITIALLY DEFERRED:
    deferred, a million-row import queues millions of checks that COMMIT then
    runs one by one, about three times slower than the same checks at the end
    of each COPY or INSERT (a third of an import's time, measured). The import
    writes every parent row before its children, so nothing needs deferring;
    the setting ends with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextlib.contextmanager
def _import_cache():
    """On SQLite, a larger page cache for the import's connection while it
    runs (`XINYONG_IMPORT_CACHE_MB`, default 128): at 10^6 records the
    indexes the import writes into outgrow the 64 MB a connection keeps
    otherwise, and every miss is a read. Given back afterwards."""
    megabytes = env_int("XINYONG_IMPORT_CACHE_MB", 128)
    if connection.vendor != "sqlite" or megabytes <= 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _fail(batch: Batch, reason: str) -> None:
    for name in Counts.__slots__:
        setattr(batch, name, 0)
    batch.status = Batch.Status.FAILED
    batch.failure_reason = reason
    batch.finished_at = clock.now()
    batch.save()
