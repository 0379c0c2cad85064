"""Issue 12.5: while a worker imports a large file, another process writes:
an API submission (a small import of its own) and a login's session. On
SQLite the import takes the write lock one chunk at a time, so the other
writer gets it between two chunks.

Real processes on a real database file (or a fresh PostgreSQL database):
`xinyong worker` imports an upload; a second Python process, set up before
the import starts, writes once the import is under way. That process waits
at most 1 s for the lock (SQLite's busy_timeout, below the platform's 10 s),
so a lock held for the whole import fails it; the assertion is that it
succeeds while the import is still running, not how fast.
"""

import json
import subprocess
import sys
from functools import partial

from support.ingest_files import penalty_row, write_csv
from support.platform import received_so_far, submit_upload, wait

ROWS = 20_000
WRITER = """
import json
import sys

import django

django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from xinyong.catalog.models import CatalogItem
from xinyong.ingest.services import batch_submit_api
from xinyong.orgs.models import Department

row = json.loads(sys.argv[1])
department = Department.objects.get(short_code="scjg")
item = CatalogItem.objects.get(code="XZCF")
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 1000")
print("ready", flush=True)
sys.stdin.readline()  # go
session = SessionStore()
session["clerk"] = "scjg_clerk"
session.create()  # as a staff login does
batch = batch_submit_api(department=department, item=item, records=[row])
print(batch.status, batch.accepted, bool(session.session_key), flush=True)
"""


def test_another_process_writes_while_an_import_runs(platform, tmp_path):
    env, database, tmp_path = platform
    path = write_csv(tmp_path / "big.csv", [penalty_row(n) for n in range(1, ROWS + 1)])
    batch = submit_upload(env, path)
    rows_read = partial(received_so_far, env, database, batch)
    pushed = penalty_row(ROWS + 1)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, json.dumps(pushed, ensure_ascii=False)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker = None
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        worker = subprocess.Popen(
            [sys.executable, "-m", "xinyong", "worker", "--until-empty", "--interval", "0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait(lambda: rows_read() >= 4_000, 120), "the worker did not start importing"
        out, err = writer.communicate("go\n", timeout=60)
        assert writer.returncode == 0, err
        # The push was imported and a session written ...
        assert out.split() == ["done", "1", "True"], out + err
        # ... while the large import was still running.
        assert rows_read() < ROWS
        assert database.one("SELECT status FROM ingest_batch WHERE id = ?", batch) == (
            "processing",
        )
        assert worker.wait(timeout=300) == 0
    finally:
        for process in (writer, worker):
            if process is not None and process.poll() is None:
                process.kill()
    status, received, accepted, rejected = database.one(
        "SELECT status, received, accepted, rejected FROM ingest_batch WHERE id = ?", batch
    )
    assert (status, received, accepted, rejected) == ("done", ROWS, ROWS, 0)
    assert database.one("SELECT count(*) FROM records_record") == (ROWS + 1,)
    assert database.one("SELECT count(*) FROM records_record WHERE status = 'staged'") == (0,)
