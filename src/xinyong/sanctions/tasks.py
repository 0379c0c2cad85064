"""Background work of `sanctions`: a bulk check of a bidders file
(`services.batches`), and the recovery of those whose worker died."""

from xinyong.core.tasks import recovery, task
from xinyong.sanctions.services import batches


@task()
def check_batch(batch_id: int) -> str:
    """Check a queued bidders file; returns the status it ended in."""
    batch = batches.check_batch_run(batch_id=batch_id)
    return batch.status if batch is not None else "skipped"


recovery(batches.check_batch_recover_stalled)
