"""How long the stored originals are kept: `XINYONG_UPLOAD_RETENTION_DAYS`
(default 5 years). A periodic task (`ingest.tasks.remove_expired_originals`)
removes older ones; the batch, its counts, its rejected rows and its records
stay, with the day its file was removed (shown on the batch page)."""

import datetime as dt
import logging
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.env import env_int
from xinyong.ingest.audit_actions import BATCH_REMOVE_ORIGINALS
from xinyong.ingest.models import Batch
from xinyong.ingest.uploads import incoming_dir

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 5 * 365 + 1  # five years, a leap day included
# A temporary file in `.incoming` older than this was left by a dead process
# (an upload cut off, a plain copy of a killed import): removed.
STALE_INCOMING = dt.timedelta(days=1)


def retention_days() -> int:
    return max(env_int("XINYONG_UPLOAD_RETENTION_DAYS", DEFAULT_RETENTION_DAYS), 1)


def batch_remove_expired_originals() -> list[int]:
    """Remove the stored originals of the batches submitted more than the
    retention period ago (ended ones only); returns their ids. One audit
    row a run that removed any."""
    now = clock.now()
    cutoff = now - dt.timedelta(days=retention_days())
    removed: list[int] = []
    expired = (
        Batch.objects.filter(created_at__lt=cutoff, original_removed_at__isnull=True)
        .exclude(stored_file="")
        .exclude(status__in=[Batch.Status.PENDING, Batch.Status.PROCESSING])
        .order_by("pk")
    )
    for batch in expired.iterator(chunk_size=500):
        with transaction.atomic():
            updated = Batch.objects.filter(pk=batch.pk, original_removed_at__isnull=True).update(
                stored_file="", original_removed_at=now
            )
            if updated:
                # After the commit: a rollback must not leave a batch without its file.
                path = Path(settings.MEDIA_ROOT) / batch.stored_file
                transaction.on_commit(partial(path.unlink, missing_ok=True))
                removed.append(batch.pk)
    if removed:
        audit_record(
            action=BATCH_REMOVE_ORIGINALS,
            object_label=f"{len(removed)}",
            after={"batches": removed, "retention_days": retention_days()},
        )
        logger.info("removed the originals of %d batches past retention", len(removed))
    _remove_stale_incoming()
    return removed


def _remove_stale_incoming() -> None:
    directory = incoming_dir()
    if not directory.is_dir():
        return
    limit = time.time() - STALE_INCOMING.total_seconds()
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # gone meanwhile
            continue
