"""`kill -9` of a worker mid-import, then a new worker: the batch is retried
and done, nothing of the killed attempt was ever visible, and no reading
process outlives the worker that forked it.

Real processes on a real database file (or a fresh PostgreSQL database when
the suite runs on PostgreSQL): `xinyong worker` as the platform runs it.
"""

import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from support.ingest_files import penalty_row, write_csv
from support.platform import received_so_far, submit_upload
from support.platform import wait as _wait

ROWS = 8_000


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits


STAGED_RECORDS = (
    "SELECT count(*) FROM records_record WHERE source_batch_id = ? AND status = 'staged'"
)
LIVE_RECORDS = (
    "SELECT count(*) FROM records_record WHERE source_batch_id = ? AND status <> 'staged'"
)
PENDING_SUBJECTS = "SELECT count(*) FROM subjects_subject WHERE pending_batch_id = ?"


@pytest.mark.parametrize("attempts", [3, 1], ids=["retried", "out-of-attempts"])
def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_retries(platform, attempts):
    env, database, tmp_path = platform
    env = {**env, "XINYONG_IMPORT_ATTEMPTS": str(attempts)}
    rows = [penalty_row(n) for n in range(1, ROWS + 1)]
    path = write_csv(tmp_path / "big.csv", rows)
    batch = submit_upload(env, path)
    rows_read = partial(received_so_far, env, database, batch)

    log = open(tmp_path / "worker-1.log", "w")
    first = subprocess.Popen(
        [sys.executable, "-m", "xinyong", "worker", "--interval", "0.1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Mid-import: processing, chunks committed as staged rows, its
        # reading process at work.
        assert _wait(lambda: rows_read() >= 2_000, 120), "the worker did not start importing"
        readers = _descendants(first.pid)
        assert readers, "no reading process"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    assert rows_read() < ROWS  # killed before the end
    # The reading process dies with its parent.
    assert _wait(lambda: not any(_alive(pid) for pid in readers), 5), "a reader outlived its worker"
    # Nothing of the batch is visible: it is still 处理中; the chunks it
    # committed are staged records and pending subjects, which no page shows.
    status, tries = database.one("SELECT status, attempts FROM ingest_batch WHERE id = ?", batch)
    assert (status, tries) == ("processing", 1)
    assert database.one(LIVE_RECORDS, batch) == (0,)
    assert database.one(STAGED_RECORDS, batch)[0] >= 2_000
    assert database.one(PENDING_SUBJECTS, batch)[0] >= 2_000

    # A new worker finds the batch whose worker died, queues it again, imports it.
    second = subprocess.run(
        [sys.executable, "-m", "xinyong", "worker", "--until-empty", "--interval", "0.1"],
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    status, tries, received, accepted, rejected, reason = database.one(
        "SELECT status, attempts, received, accepted, rejected, failure_reason"
        " FROM ingest_batch WHERE id = ?",
        batch,
    )
    # Nothing staged is left either way.
    assert database.one(STAGED_RECORDS, batch) == (0,)
    assert database.one(PENDING_SUBJECTS, batch) == (0,)
    if attempts == 1:
        # No attempt left: failed with the reason in Chinese, nothing kept.
        assert (status, tries, received, accepted, rejected) == ("failed", 1, 0, 0, 0)
        assert "处理进程意外中止" in reason
        assert database.one(LIVE_RECORDS, batch) == (0,)
        assert database.one("SELECT count(*) FROM subjects_subject") == (0,)
        return
    assert (status, tries, reason) == ("done", 2, "")
    assert (received, accepted, rejected) == (ROWS, ROWS, 0)
    assert database.one(LIVE_RECORDS, batch) == (ROWS,)
    assert database.one("SELECT count(*) FROM subjects_subject") == (ROWS,)
    assert not (Path(env["XINYONG_DATA_DIR"]) / "progress" / f"batch-{batch}.json").exists()
    assert not any(_alive(pid) for pid in readers)
