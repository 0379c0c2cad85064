"""Background work of the intake: a queued batch (an upload) is processed by
a worker, and a starting worker retries or fails the batches of workers that
died (`services.batch_recover_stalled`)."""

from xinyong.core.tasks import recovery, task
from xinyong.ingest import services


@task()
def batch_import(batch_id: int) -> str:
    """Process a queued batch; returns the status it ended in."""
    batch = services.batch_run_queued(batch_id=batch_id)
    return batch.status if batch is not None else "skipped"


recovery(services.batch_recover_stalled)
