"""The reading side of an import: find the header, validate row by row, and
hand the writing side chunks of rows, each valid (with its record values)
or rejected (with its cells and errors). No database: it may run in a
forked process (`pipeline.parallel`)."""

import datetime as dt
import itertools
import logging
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import NamedTuple

import orjson
from django.utils.translation import gettext as _

from xinyong.core.text import storable
from xinyong.core.workdays import get_calendar
from xinyong.ingest.headers import HEADER_SEARCH_ROWS, find_header
from xinyong.ingest.models import Batch
from xinyong.ingest.pipeline.limits import ColumnLimits, check_limits
from xinyong.ingest.validation import RowResult, RowValidator
from xinyong.records.disclosure import StepCounts, WindowComputer
from xinyong.records.services import record_row_values
from xinyong.subjects.services import SubjectCandidate, prepare

logger = logging.getLogger(__name__)

CHUNK_ROWS = 2_000


class PendingRow(NamedTuple):
    """A valid row as validation left it: what finishing it needs (its
    record values are computed in `Reading.finish`)."""

    row_number: int
    record_key: str
    doc_number: str
    content_hash: str
    data_json: str  # the record's content, encoded once
    decision_date: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    subject_kind: str
    # Only the fields a disclosure window reads (category, amount).
    window_data: dict


class RejectedCells(NamedTuple):
    row_number: int
    values: dict  # the row's cells under its own headers
    errors: list[dict]


class Chunk:
    """What the reading side hands the writing side: a run of rows, each either
    valid or rejected (`RejectedCells`)."""

    __slots__ = ("coded", "finished", "received", "rejected", "valid", "warned", "wrong_codes")

    def __init__(self) -> None:
        self.received = self.coded = self.wrong_codes = 0
        # Validated rows as (PendingRow, SubjectCandidate); once finished
        # (`Reading.finish`), as (record values in records.services.ROW_COLUMNS
        # order, prepared subject). Compact tuples, cheap between processes.
        self.valid: list[tuple] = []
        self.rejected: list[RejectedCells] = []
        # Valid rows with consistency warnings: (row number, record key, warnings).
        self.warned: list[tuple[int, str, list[dict]]] = []
        self.finished = False


def _is_blank(cells: Sequence[object]) -> bool:
    try:
        return not "".join(cells).strip()  # type: ignore[arg-type]  # a CSV row: strings only, one C call; other cells raise TypeError
    except TypeError:
        return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _cell_text(cell: object) -> str:
    """A rejected cell as kept and shown (a NUL or a lone surrogate escaped: `storable`)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime) and cell.time() == dt.time(0):
        return cell.date().isoformat()
    return storable(str(cell))


def unprocessable() -> list[dict]:
    """The error of a row that failed in an unexpected way (logged)."""
    return [{"field": "", "value": "", "message": _("无法处理该行，请联系信用办")}]


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
            if self._calendar is not None:  # in working days
                due = self._calendar.add_workdays(decided, self.within).date
            else:
                due = decided + dt.timedelta(days=self.within)
            self._cache[decided] = due
        return due


class Reading:
    """What the reading side needs, prepared by the writing process before a
    worker forks: nothing in it touches the database afterwards (the catalog
    schema, the day, the working-day calendar, the disclosure rules, the
    column limits)."""

    def __init__(self, batch: Batch, schema: dict, today: dt.date):
        self.schema = schema
        self.today = today
        self.item_id = batch.item_id
        self.department_id = batch.department_id
        if batch.version_id is None:  # a batch is made with its item's current version
            raise RuntimeError(f"batch {batch.pk} has no catalog version")
        self.version_id: int = batch.version_id
        self.limits = ColumnLimits.from_models()
        self.dues = _DueDates(schema)
        self.windows = WindowComputer(today, StepCounts())
        self.windows.prepare(self.version_id)
        self._labels = {field["key"]: field["label"] for field in schema["fields"]}

    def pending(self, row_number: int, result: RowResult) -> PendingRow:
        """What finishing a valid row needs, taken from its validation."""
        data = result.data
        return PendingRow(
            row_number,
            result.record_key,
            result.doc_number or result.record_key,
            result.content_hash,
            orjson.dumps(data).decode(),
            result.decision_date,
            result.valid_from,
            result.valid_to,
            result.subject.kind if result.subject else "legal",
            {key: data[key] for key in self.windows.data_keys if key in data},
        )

    def finish(self, chunk: Chunk) -> None:
        """Complete a chunk's valid rows: each record's values (submission
        due date, late flag, disclosure window) and its subject's name key
        and ID digest. No database: it runs on whichever side of an import
        has the time (see `read_and_validate`)."""
        if chunk.finished:
            return
        valid: list[tuple[tuple, SubjectCandidate]] = []
        for pending, candidate in chunk.valid:
            try:
                valid.append((self._values(pending), candidate))
            except Exception:  # a row never crashes a batch
                logger.exception("row %s", pending.row_number)
                # The row's cells are not at hand here: keep its validated
                # content under the standard headers, which re-import as is.
                content = {
                    self._labels.get(key, key): value
                    for key, value in orjson.loads(pending.data_json).items()
                }
                chunk.rejected.append(RejectedCells(pending.row_number, content, unprocessable()))
        prepared = prepare([candidate for _values, candidate in valid])
        chunk.valid = [
            (values, subject) for (values, _c), subject in zip(valid, prepared, strict=True)
        ]
        chunk.finished = True

    def _values(self, pending: PendingRow) -> tuple:
        decided = pending.decision_date
        due = self.dues.due(decided) if decided else None
        return record_row_values(
            windows=self.windows,
            item_id=self.item_id,
            department_id=self.department_id,
            version_id=self.version_id,
            row_number=pending.row_number,
            record_key=pending.record_key,
            doc_number=pending.doc_number,
            content_hash=pending.content_hash,
            data=pending.window_data,
            data_json=pending.data_json,
            decision_date=decided,
            valid_from=pending.valid_from,
            valid_to=pending.valid_to,
            submit_due=due,
            is_late=due is not None and self.today > due,
            subject_kind=pending.subject_kind,
        )


# What the reading side yields: the header map first (kept on the batch), then `Chunk`s.
Part = dict[str, object] | Chunk


def read_and_validate(
    reading: Reading, rows: Iterable[list], finish_here: Callable[[], bool] | None = None
) -> Generator[Part, None, None]:
    """The reading side: first yields the header map (how the file's header
    row maps onto the item's fields, kept on the batch), then `Chunk`s.

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
    limits = reading.limits
    names = [h or f"第{i + 1}列" for i, h in enumerate(header)]
    chunk = Chunk()
    data_rows: Iterator[list] = itertools.chain(head[header_index + 1 :], rows)
    for row_number, cells in enumerate(data_rows, start=header_index + 2):
        if _is_blank(cells):
            continue
        chunk.received += 1
        pending = None
        try:
            result = validator.validate(cells)
            if result.ok:
                check_limits(result, key_fields, limits)
            if result.ok:
                pending = reading.pending(row_number, result)
        except Exception:  # a row never crashes a batch
            logger.exception("row %s", row_number)
            result = RowResult(False, unprocessable())
        chunk.coded += result.coded
        chunk.wrong_codes += result.wrong_code
        if result.ok:
            chunk.valid.append((pending, result.subject))
            if result.warnings and pending is not None:
                chunk.warned.append((row_number, pending.record_key, result.warnings))
        else:
            values = {
                (names[i] if i < len(names) else f"第{i + 1}列"): _cell_text(c)
                for i, c in enumerate(cells)
            }
            chunk.rejected.append(RejectedCells(row_number, values, result.errors))
        if chunk.received >= CHUNK_ROWS:
            yield _handed_over(reading, chunk, finish_here)
            chunk = Chunk()
    if chunk.received:
        yield _handed_over(reading, chunk, finish_here)


def _handed_over(reading: Reading, chunk: Chunk, finish_here: Callable[[], bool] | None) -> Chunk:
    if finish_here is None or finish_here():
        reading.finish(chunk)
    return chunk
