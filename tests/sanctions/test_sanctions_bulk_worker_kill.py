"""`kill -9` of a worker in the middle of a bulk check, then a new worker: no
`Check` of the killed attempt exists, and the next worker checks the file
once (each row logged once).

Real processes on a real database (a SQLite file, or a fresh PostgreSQL
database when the suite runs on PostgreSQL): `xinyong worker` as deployed."""

import signal
import subprocess
import sys

from support.platform import (
    platform,  # noqa: F401 - the fixture
    wait,
)

ROWS = 10_000

_SUBMIT = """
import sys
import datetime as dt
import django
django.setup()
from pathlib import Path
from xinyong.core.identifiers import uscc_with_checks
from xinyong.orgs.models import Department, User
from xinyong.sanctions.services.batches import check_batch_submit
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key

rows = int(sys.argv[2])
now = dt.datetime.now(dt.UTC)
department = Department.objects.create(name="林区公共资源交易监督管理局", short_code="ggzy")
officer = User.objects.create(username="officer", role="officer", department=department)
subjects = [
    Subject(kind="legal", name=f"神农架投标{n}有限公司", name_key=name_key(f"神农架投标{n}有限公司"),
            uscc=uscc_with_checks(f"91429021{n:08d}"), created_at=now, updated_at=now)
    for n in range(1, rows + 1)
]
Subject.objects.bulk_create(subjects, batch_size=2000)
path = Path(sys.argv[1])
lines = ["投标人名称,统一社会信用代码"]
lines += [f"{s.name},{s.uscc}" for s in subjects]
path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
batch = check_batch_submit(actor=officer, department=department, domain_code="ZBTB",
                           matter="招标 kill-9", path=path, file_name=path.name)
print(batch.pk)
"""

STATE = (
    "SELECT status, attempts, checked_rows, rows, hit_rows FROM sanctions_checkbatch WHERE id = ?"
)
CHECKS = "SELECT count(*), count(DISTINCT row) FROM sanctions_check WHERE batch_id = ?"


def test_a_worker_killed_mid_check_leaves_nothing_and_the_next_checks_once(platform):  # noqa: F811
    env, database, tmp_path = platform
    setup = subprocess.run(
        [sys.executable, "-c", _SUBMIT, str(tmp_path / "bidders.csv"), str(ROWS)],
        env=env, check=True, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    batch = int(setup.stdout.split()[-1])
    assert database.one(STATE, batch)[0] == "queued"

    log = open(tmp_path / "worker-1.log", "w")
    first = subprocess.Popen(
        [sys.executable, "-m", "xinyong", "worker", "--interval", "0.1"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # Killed mid-way: some rows checked (the progress bar moved), none written.
        started = wait(lambda: 0 < database.one(STATE, batch)[2] < ROWS, 120)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    assert started, (tmp_path / "worker-1.log").read_text()[-3000:]
    status, attempts, checked, _rows, _hits = database.one(STATE, batch)
    assert (status, attempts) == ("running", 1) and checked < ROWS
    assert database.one(CHECKS, batch) == (0, 0)

    # A new worker finds the batch whose worker died, queues it again and checks it.
    second = subprocess.run(
        [sys.executable, "-m", "xinyong", "worker", "--until-empty", "--interval", "0.1"],
        env=env, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    assert second.returncode == 0, second.stdout + second.stderr
    assert database.one(STATE, batch) == ("done", 2, ROWS, ROWS, 0)
    assert database.one(CHECKS, batch) == (ROWS, ROWS)
    assert database.one(
        "SELECT count(*) FROM core_auditlog WHERE action = 'check_batch.run' AND object_id = ?",
        str(batch),
    ) == (1,)
