"""The worker behind `xinyong worker`: django-tasks-db's own loop, run one
task at a time, with three things around it.

- A lease (`worker:<id>`) for the worker's life, so that others can tell
  whether it is still alive.
- Recovery, when it starts and every minute: a task that a dead worker left
  running is marked failed, then each app's registered recovery puts right
  what that task left half done (a batch is retried or failed).
- The periodic tasks (`core.tasks.periodic`): enqueued when it starts and
  then every period, under one lock, never while a run is queued or running.
  With several workers, whichever looks first enqueues; the others see it.

On PostgreSQL any number of workers share the queue (each claims a task with
SELECT … FOR UPDATE SKIP LOCKED). On SQLite one is enough: imports hold the
database's one write lock anyway.
"""

import logging
import os
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Worker as LibraryWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from xinyong.core.db import dialect
from xinyong.core.processes import parent_alive
from xinyong.core.tasks.leases import Lease, is_held, lock_key
from xinyong.core.tasks.registry import periodic_tasks, recoveries

logger = logging.getLogger(__name__)

WORKER_PREFIX = "xinyong-"
# Recovery and the periodic tasks are looked at this often (seconds) between tasks.
MAINTAIN_EVERY = 60.0
READY, RUNNING = "READY", "RUNNING"


class WorkerDied(Exception):
    """Recorded on a task that a worker left running when it died."""


def worker_lease(worker_id: str) -> str:
    return f"worker:{worker_id}"


def new_worker_id() -> str:
    host = socket.gethostname().split(".")[0][:24]
    return f"{WORKER_PREFIX}{host}-{os.getpid()}-{get_random_string(8)}"


def fail_orphaned_tasks() -> list[str]:
    """Mark failed every task left running by a worker of ours that is gone
    (its lease is free). Tasks of workers started otherwise (a bare
    `db_worker`) are left alone: nothing tells whether those live."""
    orphaned = []
    for result in DBTaskResult.objects.running().only("id", "worker_ids"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if not worker.startswith(WORKER_PREFIX) or is_held(worker_lease(worker)):
            continue
        marked = DBTaskResult.objects.filter(pk=result.pk, status=RUNNING).update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback=f"工作进程 {worker} 在任务完成前退出（进程被终止或机器重启）",
        )
        if marked:
            logger.warning("task %s: worker %s died while running it", result.pk, worker)
            orphaned.append(str(result.pk))
    return orphaned


def recover() -> None:
    """What a starting worker does first, and every worker every minute."""
    fail_orphaned_tasks()
    for function in recoveries():
        try:
            function()
        except OperationalError:
            raise
        except Exception:  # one app's recovery never stops the worker
            logger.exception("recovery %s failed", function)


@contextmanager
def _schedule_lock() -> Iterator[None]:
    """One worker at a time decides what is due: SQLite's EXCLUSIVE
    transaction, or a transaction-level advisory lock on PostgreSQL."""
    with exclusive_transaction():
        dialect().transaction_lock(lock_key("core.tasks.beat"))
        yield


def beat(*, starting: bool = False) -> list[str]:
    """Enqueue the periodic tasks that are due: those never run, and those
    whose last run was enqueued a period ago or more (at a worker's start,
    whatever the period). A task already queued or running is not enqueued
    again. Returns the paths of the tasks enqueued."""
    enqueued = []
    now = timezone.now()
    with _schedule_lock():
        for entry in periodic_tasks():
            latest = (
                DBTaskResult.objects.filter(task_path=entry.path)
                .order_by("-enqueued_at")
                .only("status", "enqueued_at")
                .first()
            )
            if latest is not None:
                if latest.status in (READY, RUNNING):
                    continue
                if not starting and latest.enqueued_at > now - entry.every:
                    continue
            entry.task.enqueue()
            enqueued.append(entry.path)
    return enqueued


def _not_per_round(record: logging.LogRecord) -> bool:
    """The library's loop logs its start and end at INFO; run once per task
    here, those lines would fill the log every `interval`."""
    return not str(record.msg).startswith(("Starting worker", "No more tasks", "Run maximum"))


logging.getLogger("django_tasks_db").addFilter(_not_per_round)


class _OneTask(LibraryWorker):
    """The library's loop, asked for one task at most (`batch` + `max_tasks=1`)."""

    ran = False

    def run_task(self, db_task_result: DBTaskResult[..., object]) -> None:
        self.ran = True
        super().run_task(db_task_result)


class Worker:
    def __init__(
        self,
        *,
        queue_names: list[str],
        interval: float = 1.0,
        worker_id: str | None = None,
        backend_name: str = "default",
        until_empty: bool = False,
        parent: int | None = None,
    ) -> None:
        self.queue_names = queue_names
        self.interval = interval
        self.worker_id = worker_id or new_worker_id()
        self.backend_name = backend_name
        self.until_empty = until_empty
        self.parent = parent
        self.stopping = False
        self.tasks_run = 0
        self._current: _OneTask | None = None
        self._next_maintenance = 0.0

    def run(self) -> int:
        """Run tasks until stopped (or, `until_empty`, until none is ready).
        Returns how many tasks it ran."""
        lease = Lease(worker_lease(self.worker_id))
        if not lease.acquire():
            raise RuntimeError(f"worker id {self.worker_id} is in use")
        try:
            autodiscover_modules("tasks")  # the apps' periodic tasks and recoveries
            self._maintain(starting=True)
            while not self.stopping:
                if self.parent is not None and not parent_alive(self.parent):
                    break
                if time.monotonic() >= self._next_maintenance:
                    self._maintain()
                if self._run_one():
                    continue
                if self.until_empty:
                    break
                time.sleep(self.interval)
        finally:
            lease.release()
        return self.tasks_run

    def _maintain(self, *, starting: bool = False) -> None:
        self._next_maintenance = time.monotonic() + MAINTAIN_EVERY
        try:
            recover()
            beat(starting=starting)
        except OperationalError as exc:
            # SQLite: another process holds the write lock (an import); next time.
            logger.info("maintenance postponed: %s", exc)
            self._next_maintenance = time.monotonic() + self.interval

    def _run_one(self) -> bool:
        current = _OneTask(
            queue_names=self.queue_names,
            interval=0,
            batch=True,
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=1,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        self._current = current
        try:
            current.run()
        finally:
            self._current = None
        self.tasks_run += current.ran
        return current.ran

    def configure_signals(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """The first signal lets the task under way finish, then stops; a
        second ends that task at once (its transaction is rolled back and the
        next worker's recovery retries its batch)."""
        if self.stopping:
            raise SystemExit(1)
        self.stopping = True
        current = self._current
        if current is None or not current.running_task:
            raise SystemExit(0)
        current.running = False
        logger.warning("%s: finishing the task under way, then stopping", signal.strsignal(signum))


def run_ready_tasks(*, queue_names: tuple[str, ...] = ("default",)) -> int:
    """Run, in this process, the tasks that are ready, until none is; returns
    how many ran. No lease, recovery or periodic tasks (tests, a shell):
    `xinyong worker --until-empty` is the same with those."""
    worker = Worker(queue_names=list(queue_names), until_empty=True)
    count = 0
    while worker._run_one():
        count += 1
    return count
