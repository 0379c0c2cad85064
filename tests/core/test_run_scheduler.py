"""`xinyong run` serves everything with one command: a worker beside the
server runs the daily disclosure job (at start, then hourly) and the queue."""

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from support.tasks import run_ready_tasks
from xinyong.core.models import AuditLog
from xinyong.core.tasks import periodic_tasks
from xinyong.core.tasks.leases import Lease
from xinyong.core.tasks.worker import Worker, beat, fail_orphaned_tasks, worker_lease
from xinyong.records import tasks as records_tasks

DAILY = records_tasks.daily.module_path


def all_periodic() -> set[str]:
    """The daily job and the other apps' periodic tasks (the retention of uploads, …)."""
    return {p.path for p in periodic_tasks()}


# On a first start the periodic refresh of the public CSV files finds none and queues their build.
FIRST_EXPORT_BUILD = 1


def test_the_daily_job_is_a_periodic_task_of_an_hour():
    (entry,) = [p for p in periodic_tasks() if p.path == DAILY]
    assert entry.every == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_beat_enqueues_at_start_then_hourly_never_two_at_a_time():
    assert DAILY in all_periodic()
    assert set(beat(starting=True)) == all_periodic()
    # A second worker starting meanwhile, and the next beats: it is queued.
    assert beat(starting=True) == [] and beat() == []
    assert run_ready_tasks() == len(all_periodic()) + FIRST_EXPORT_BUILD
    assert AuditLog.objects.filter(action="disclosure.daily").count() == 1
    assert beat() == []  # ran less than an hour ago
    DBTaskResult.objects.filter(task_path=DAILY).update(
        enqueued_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61)
    )
    assert beat() == [DAILY]
    assert DBTaskResult.objects.filter(task_path=DAILY, status="READY").count() == 1


@pytest.mark.django_db
def test_a_worker_runs_the_daily_job_when_it_starts(monkeypatch):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    ran = Worker(queue_names=["default"], until_empty=True).run()
    assert ran == len(all_periodic()) + FIRST_EXPORT_BUILD
    assert AuditLog.objects.filter(action="disclosure.daily").count() == 1
    result = DBTaskResult.objects.get(task_path=DAILY)
    assert result.status == "SUCCESSFUL" and result.worker_ids[0].startswith("xinyong-")


@pytest.mark.django_db
def test_tasks_of_dead_workers_are_failed_and_the_schedule_goes_on():
    """A daily job whose worker died stays "running" in the queue; the next
    worker marks it failed, or the job would never be enqueued again."""
    alive = "xinyong-host-1-alive"

    def running(worker_id):
        result = records_tasks.daily.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=[worker_id])
        return result.id

    dead = running("xinyong-host-2-dead")
    with Lease(worker_lease(alive)):
        live = running(alive)
        foreign = running("started-by-db_worker")  # nothing tells whether it lives
        assert fail_orphaned_tasks() == [str(dead)]
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    assert [statuses[str(pk)] for pk in (dead, live, foreign)] == ["FAILED", "RUNNING", "RUNNING"]
    assert "WorkerDied" in DBTaskResult.objects.get(pk=dead).exception_class_path


# -- the real command -----------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def started_platform(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "XINYONG_DATA_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "xinyong", "run", f"127.0.0.1:{port}", "--no-demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def serving():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/staff/login/", timeout=2):
                return True
        except OSError:
            return False

    try:
        assert _wait(serving, 60), "the server did not start"
        assert _wait(lambda: len(_children(run.pid)) == 1), "no worker beside the server"
        yield run, _children(run.pid)[0]
    finally:
        if run.poll() is None:
            run.kill()
        run.wait()


@pytest.mark.parametrize("stop", ["ctrl-c", "kill -9"])
def test_run_serves_with_a_worker_that_stops_with_it(started_platform, stop):
    run, worker = started_platform
    assert b"worker" in Path(f"/proc/{worker}/cmdline").read_bytes()
    run.send_signal(signal.SIGINT if stop == "ctrl-c" else signal.SIGKILL)
    run.wait(timeout=20)
    assert _wait(lambda: not _alive(worker), 15), "the worker outlived the server"
