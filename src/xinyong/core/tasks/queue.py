"""Enqueueing with a debounce: many changes, one run."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from django_tasks.base import Task

READY = "READY"


def enqueue_unless_queued(task: "Task[[], Any]", *, delay: dt.timedelta | None = None) -> bool:
    """Enqueue `task` (no arguments) unless a run of it is already queued and
    not started: that run will see whatever the caller changed. Returns
    whether it enqueued. Inside a transaction the new row commits with it.
    Two callers at the same instant may both enqueue; the task must be
    idempotent (the second run finds little to do)."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status=READY).exists():
        return False
    if delay is not None:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue()
    return True


# A job queued without its task (the process died between the commit and the
# enqueue) is taken up by a worker's recovery after this long.
ENQUEUE_GRACE = dt.timedelta(minutes=2)


def task_alive(task: "Task[Any, Any]", task_id: str, queued_at: dt.datetime) -> bool:
    """Whether a job's task will still run (waiting or running): the test a
    worker's recovery makes before it queues a stalled job again. A job with
    no task id yet is given `ENQUEUE_GRACE` from `queued_at`."""
    from xinyong.core import clock
    from xinyong.core.tasks import TaskResultDoesNotExist, TaskResultStatus

    if not task_id:
        return queued_at > clock.now() - ENQUEUE_GRACE
    try:
        result = task.get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
