"""One batch from start to end: one transaction around the whole import, so
a batch ends done with its counts, or failed with the reason and nothing of
it written (a process killed mid-way leaves nothing either)."""

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict

from django.db import connection, transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.db import dialect
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError
from xinyong.ingest.models import Batch
from xinyong.ingest.pipeline.writing import Counts, Timings, run_rows
from xinyong.records.exports import export_request
from xinyong.records.services import record_disclosure_fill
from xinyong.subjects.search import subject_index_deferred

# The parent of this package's loggers: `xinyong bench ingest` and the tests
# listen there for the timings line.
logger = logging.getLogger("xinyong.ingest.pipeline")


def process(
    batch: Batch,
    rows_factory: Callable[[], Iterable[list]],
    *,
    parallel: bool = False,
    progress: Callable[[Counts], None] | None = None,
) -> Batch:
    """Run a batch to its end: done with its counts, or failed with the reason
    and nothing of it written. `rows_factory()` opens the rows (it may raise
    a FileProblem, as may the iteration). `progress(counts)` hears the counts
    after each chunk, from inside the import's transaction: it must write
    them elsewhere to be seen (see `ingest.progress`)."""
    batch.status = Batch.Status.PROCESSING
    batch.save(update_fields=["status"])
    # An import allocates millions of short-lived objects and makes no reference
    # cycles; the cyclic collector's passes only cost time (bench/README.md).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    timings = Timings()
    try:
        with transaction.atomic(), _import_cache():
            if batch.version is None:  # a batch is made with its item's current version
                raise RuntimeError(f"batch {batch.pk} has no catalog version")
            _check_references_per_statement()
            # New subjects enter the portal's search index in bulk at the end.
            with subject_index_deferred(connection):
                counts = run_rows(
                    batch,
                    batch.version.schema,
                    rows_factory,
                    parallel=parallel,
                    timings=timings,
                    progress=progress,
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
            if counts.accepted:  # the public CSV files are rebuilt with them
                export_request()
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
        fail(batch, exc.message)
    except Exception:
        logger.exception("batch %s failed", batch.pk)
        fail(batch, _("处理时发生内部错误，已全部回退，请联系信用办"))
    finally:
        if gc_was_enabled:
            gc.enable()
    return batch


def fail(batch: Batch, reason: str) -> None:
    """End a batch failed with `reason` (shown to the clerk), no rows counted."""
    for name in Counts.__slots__:
        setattr(batch, name, 0)
    batch.status = Batch.Status.FAILED
    batch.failure_reason = reason
    batch.finished_at = clock.now()
    batch.save()


def _check_references_per_statement() -> None:
    """On PostgreSQL, check the import's foreign keys as each statement ends
    instead of at COMMIT. Django declares them DEFERRABLE INITIALLY DEFERRED:
    deferred, a million-row import queues millions of checks that COMMIT then
    runs one by one, much slower than the same checks at the end of each COPY
    or INSERT (measured: bench/README.md). The import writes every parent row
    before its children, so nothing needs deferring; the setting ends with
    the transaction. (SQLite checks them at COMMIT by design.)"""
    dialect().check_constraints_per_statement()


@contextlib.contextmanager
def _import_cache():
    """On SQLite, a larger page cache for the import's connection while it
    runs (`XINYONG_IMPORT_CACHE_MB`, default 128): at 10^6 records the
    indexes the import writes into outgrow the 64 MB a connection keeps
    otherwise, and every miss is a read. Given back afterwards."""
    with dialect().page_cache(env_int("XINYONG_IMPORT_CACHE_MB", 128)):
        yield
