"""An import's progress, seen by the batch page while the import runs (its
rows appear only when the batch is done: docs/architecture.md, "Import
visibility").

The writer gets the counts after each chunk and puts them where another
connection sees them at once:
- on PostgreSQL, into the batch's row through the import lease's own
  connection (autocommit);
- on SQLite, into a small JSON file under `XINYONG_DATA_DIR/progress/`
  (replaced atomically, no write transaction to wait for; SQLite runs on
  one machine, as do the server and its worker).
"""

import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

from xinyong.ingest.models import Batch
from xinyong.ingest.pipeline import Counts
from xinyong.ingest.readers import FileProblem, sniff_kind
from xinyong.ingest.xlsx_stream import first_sheet


class Progress(NamedTuple):
    received: int
    accepted: int
    rejected: int
    expected: int | None  # the rows the file seems to hold; None: cannot tell

    @property
    def percent(self) -> int | None:
        if not self.expected:
            return None
        return min(99, self.received * 100 // self.expected)


def _path(batch_id: int) -> Path:
    return Path(settings.DATA_DIR) / "progress" / f"batch-{batch_id}.json"


class ProgressWriter:
    """`writer(counts)` after each chunk; `close()` when the batch ends.

    Writes at most every `every` seconds: the batch page reloads every 2 s,
    and a write costs a file replacement or a statement (bench/README.md)."""

    every = 0.25  # seconds

    def __init__(self, batch: Batch, connection: BaseDatabaseWrapper | None = None) -> None:
        self.batch_id = batch.pk
        self.connection = connection
        self.path = _path(batch.pk)
        self._last = -self.every
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def __call__(self, counts: Counts) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        if self.connection is not None:
            table = Batch._meta.db_table
            quote = self.connection.ops.quote_name
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(table)} SET received = %s, accepted = %s, rejected = %s "  # noqa: S608 — the model's table name; values bound
                    "WHERE id = %s",
                    [counts.received, counts.accepted, counts.rejected, self.batch_id],
                )
            return
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps([counts.received, counts.accepted, counts.rejected]), encoding="utf-8"
        )
        os.replace(temporary, self.path)

    def close(self) -> None:
        progress_clear(self.batch_id)


def progress_clear(batch_id: int) -> None:
    for path in (_path(batch_id), _path(batch_id).with_suffix(".tmp")):
        path.unlink(missing_ok=True)


def progress_of(batch: Batch) -> Progress:
    """The counts so far of a batch being processed (its final counts once done)."""
    if batch.status == Batch.Status.PROCESSING:
        try:
            received, accepted, rejected = json.loads(_path(batch.pk).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            pass
        else:
            return Progress(received, accepted, rejected, batch.expected_rows)
    return Progress(batch.received, batch.accepted, batch.rejected, batch.expected_rows)


_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(path: Path) -> int | None:
    """The data rows a file seems to hold, for the progress bar: the lines
    of a CSV less its header, or the last row an xlsx sheet declares. An
    estimate (blank rows, a header further down, line breaks inside cells);
    None when the file does not say (old .xls, unreadable files)."""
    try:
        kind = sniff_kind(path)
    except (FileProblem, OSError):
        return None
    try:
        if kind == "csv":
            lines = 0
            with open(path, "rb") as handle:
                # A line break in UTF-16 (Excel's "Unicode text") is two bytes.
                newline = b"\n\x00" if handle.read(2) == b"\xff\xfe" else b"\n"
                handle.seek(0)
                last = newline
                while block := handle.read(1 << 20):
                    lines += block.count(newline)
                    last = block[-len(newline) :]
            lines += last != newline  # a last line without its line break
            return max(lines - 1, 0)
        if kind == "xlsx":
            with zipfile.ZipFile(path) as archive, archive.open(first_sheet(archive)) as sheet:
                found = _DIMENSION.search(sheet.read(1 << 14))
            return max(int(found.group(1)) - 1, 0) if found else None
    except (OSError, zipfile.BadZipFile, KeyError, FileProblem):
        return None
    return None
