"""Background work of the intake: a queued batch (an upload) is processed by
a worker, and a starting worker retries or fails the batches of workers that
died (`services.batch_recover_stalled`)."""

import datetime as dt

from xinyong.core.tasks import periodic, recovery, task
from xinyong.ingest import retention, services


@task()
def batch_import(batch_id: int) -> str:
    """Process a queued batch; returns the status it ended in."""
    batch = services.batch_run_queued(batch_id=batch_id)
    return batch.status if batch is not None else "skipped"


recovery(services.batch_recover_stalled)


@task()
def remove_expired_originals() -> int:
    """The retention period: remove the stored originals past it; returns how many."""
    return len(retention.batch_remove_expired_originals())


periodic(remove_expired_originals, every=dt.timedelta(hours=6))
