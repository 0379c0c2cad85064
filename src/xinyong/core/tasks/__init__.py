"""The task interface: background work goes through Django's tasks framework
(django-tasks, the backport of Django 6.0's `django.tasks`) on its database
backend (django-tasks-db), so moving to Django 6 is a settings change.

An app declares its tasks in its `tasks.py` with `task` from here, and may
register there
- a periodic task: `periodic(some_task, every=dt.timedelta(hours=1))`, which
  the workers enqueue when they start and then every period, one at a time;
- a recovery: `recovery(function)`, which the workers call when they start
  and every minute, to put right the work of a worker that died.

`xinyong worker` runs a worker (`core.tasks.worker`).
"""

from typing import TYPE_CHECKING

from xinyong.core.tasks.queue import enqueue_unless_queued
from xinyong.core.tasks.registry import Periodic, periodic, periodic_tasks, recoveries, recovery

if TYPE_CHECKING:  # typed against the backport, whose API is Django 6.0's
    from django_tasks import TaskResultStatus, task
    from django_tasks.exceptions import TaskResultDoesNotExist
else:
    try:  # Django 6.0 ships the framework
        from django.tasks import TaskResultStatus, task
        from django.tasks.exceptions import TaskResultDoesNotExist
    except ImportError:  # Django 5.2: the backport
        from django_tasks import TaskResultStatus, task
        from django_tasks.exceptions import TaskResultDoesNotExist

__all__ = [
    "Periodic",
    "TaskResultDoesNotExist",
    "TaskResultStatus",
    "enqueue_unless_queued",
    "periodic",
    "periodic_tasks",
    "recoveries",
    "recovery",
    "task",
]
