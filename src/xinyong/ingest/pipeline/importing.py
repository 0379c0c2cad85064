"""One batch from start to end: written chunk by chunk, each chunk its own
short transaction whose rows stay invisible (staged), then made live in one
transaction when the batch is done; a failure (or a process killed mid-way,
see `ingest.services.batch_recover_stalled`) leaves nothing of it
(docs/architecture.md, "Import visibility")."""

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.db import dialect
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError
from xinyong.ingest.models import Batch, RejectedRow, WarnedRow, batch_source
from xinyong.ingest.pipeline.writing import Counts, Timings, import_pause, run_rows
from xinyong.records.exports import export_request
from xinyong.records.staging import (
    Correction,
    record_batch_activate,
    record_batch_corrections,
    record_batch_discard,
    record_batch_publish,
)
from xinyong.subjects.staging import subject_batch_publish

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
    and nothing of it kept. `rows_factory()` opens the rows (it may raise
    a FileProblem, as may the iteration). `progress(counts)` hears the counts
    after each chunk (see `ingest.progress`)."""
    batch.status = Batch.Status.PROCESSING
    batch.save(update_fields=["status"])
    # An import allocates millions of short-lived objects and makes no reference
    # cycles; the cyclic collector's passes only cost time (bench/README.md).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    timings = Timings()
    try:
        if batch.version is None:  # a batch is made with its item's current version
            raise RuntimeError(f"batch {batch.pk} has no catalog version")
        if batch.attempts > 1:
            # What an earlier attempt of this batch staged before its process died.
            batch_discard(batch)
        with _import_cache():
            # Each chunk commits its staged rows (`run_rows`).
            counts = run_rows(
                batch,
                batch.version.schema,
                rows_factory,
                parallel=parallel,
                timings=timings,
                progress=progress,
            )
        if counts.received == 0:
            raise ApplicationError("no_rows", _("表头下没有数据行"))
        # Read outside the lock; checked again inside (see record_batch_publish).
        corrections = record_batch_corrections(batch_id=batch.pk)
        # The new records turn active a chunk per transaction, behind the
        # batch's gate (seen nowhere yet) ...
        mark = time.perf_counter()
        corrections = record_batch_activate(
            batch_id=batch.pk, corrections=corrections, pause=import_pause()
        )
        timings.activate = time.perf_counter() - mark
        # ... and the batch's last transaction opens the gate.
        try:
            _publish(batch, counts, timings, corrections)
        except IntegrityError:  # another writer touched the batch's keys meanwhile
            _publish(batch, counts, timings, None)
        _subjects_live(batch)
        logger.info(
            "batch %s: %s rows; writing %.1f s, waiting for rows %.1f s, activating %.1f s, "
            "publish %.1f s, commit %.1f s",
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


def _publish(
    batch: Batch, counts: Counts, timings: Timings, corrections: list[Correction] | None
) -> None:
    """The batch's records become live with the batch's end: one
    transaction, the first that shows anything of the batch."""
    mark = time.perf_counter()
    with transaction.atomic():
        _check_references_per_statement()
        record_batch_publish(batch_id=batch.pk, corrections=corrections)
        if counts.accepted:  # the public CSV files are rebuilt with them
            export_request()
        for name in Counts.__slots__:
            setattr(batch, name, getattr(counts, name))
        batch.status = Batch.Status.DONE
        batch.failure_reason = ""
        batch.finished_at = clock.now()
        batch.save()
        timings.publish = time.perf_counter() - mark
        mark = time.perf_counter()
    timings.commit = time.perf_counter() - mark


def _subjects_live(batch: Batch) -> None:
    """The subjects of a batch that is done, seen only with its records,
    right after. Never fails the batch: its records are live; if this
    stops, a worker's recovery finishes it (`batch_recover_stalled`)."""
    try:
        subject_batch_publish(batch_id=batch.pk)
    except Exception:
        logger.exception("batch %s: its subjects are left for the recovery", batch.pk)


def fail(batch: Batch, reason: str) -> None:
    """End a batch failed with `reason` (shown to the clerk), no rows counted,
    nothing of it kept."""
    batch_discard(batch)
    for name in Counts.__slots__:
        setattr(batch, name, 0)
    batch.status = Batch.Status.FAILED
    batch.failure_reason = reason
    batch.finished_at = clock.now()
    batch.save()


def batch_discard(batch: Batch) -> None:
    """Remove what a batch that is not done wrote: staged records and
    subjects, queued conflicts, rejected and warned rows; in short transactions. A
    batch that is done keeps everything."""
    if Batch.objects.filter(pk=batch.pk, status=Batch.Status.DONE).exists():
        raise RuntimeError(f"batch {batch.pk} is done: nothing of it may be removed")
    record_batch_discard(batch_id=batch.pk, source=batch_source(batch.pk))
    RejectedRow.objects.filter(batch_id=batch.pk).delete()
    WarnedRow.objects.filter(batch_id=batch.pk).delete()


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
