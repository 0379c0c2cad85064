"""The recovery of queued jobs whose worker died: a row with a status
queued/running, its task's id, an attempt count, and a lease its worker
holds while it runs (bulk checks, commitment uploads). Each kind declares
how to tell, fail and queue again one of its jobs; `requeue_stalled` is
the loop a worker's recovery runs for it."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import models, transaction

from xinyong.core.tasks.leases import is_held

logger = logging.getLogger(__name__)

QUEUED, RUNNING = "queued", "running"


@dataclass(frozen=True)
class StalledJobs:
    model: type[models.Model]
    # Whether the job's task will still run (`core.tasks.queue.task_alive`).
    is_queued: Callable[[Any], bool]
    lease: Callable[[int], str]
    fail: Callable[[Any, str], object]
    # The reason given when the last attempt is spent, from their number.
    out_of_attempts: Callable[[int], str]
    enqueue: Callable[[int], None]
    max_attempts: int
    # Fields set back when a job is queued again (its progress, say).
    reset: Mapping[str, object] = field(default_factory=dict)


def requeue_stalled(kind: StalledJobs) -> list[int]:
    """A job 排队中 whose task is gone, or 处理中 whose lease is free (its
    worker died), is queued again, or failed once `max_attempts` were made.
    A job whose lease is held is under way and left alone. Returns the ids
    touched."""
    touched: list[int] = []
    manager = kind.model._default_manager
    job: Any  # a row of `kind.model`: status, attempts, task_id
    for job in manager.filter(status__in=[QUEUED, RUNNING]).order_by("pk"):
        if job.status == QUEUED and kind.is_queued(job):
            continue
        if is_held(kind.lease(job.pk)):
            continue
        if job.attempts >= kind.max_attempts:
            kind.fail(job, kind.out_of_attempts(job.attempts))
            touched.append(job.pk)
            continue
        # Only if no other worker's recovery got there first.
        if not manager.filter(pk=job.pk, status=job.status).update(
            status=QUEUED, task_id="", **kind.reset
        ):
            continue
        logger.warning("%s %s: its worker died; queued again", kind.model._meta.label, job.pk)
        transaction.on_commit(partial(kind.enqueue, job.pk), robust=True)
        touched.append(job.pk)
    return touched
