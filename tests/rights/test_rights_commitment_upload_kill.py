"""`kill -9` of a worker in the middle of a commitment upload, then a new
worker: the killed one left whole chunks, unpublished and not sent on; the
next goes on after them, records each row once, and publishes the file whole.

Real processes on a real database (a SQLite file, or a fresh PostgreSQL
database when the suite runs on PostgreSQL): `xinyong worker` as deployed."""

import signal
import subprocess
import sys

from support.platform import (
    platform,  # noqa: F401 - the fixture
    wait,
)

ROWS = 2_000

_SUBMIT = """
import sys
import django
django.setup()
from django.core.files import File
from xinyong.core.identifiers import uscc_with_checks
from xinyong.orgs.models import Department, User
from xinyong.rights.services.commitment_upload import commitment_upload_submit

rows = int(sys.argv[2])
department = Department.objects.create(name="林区市场监督管理局", short_code="scjg")
clerk = User.objects.create(username="clerk", role="clerk", department=department)
lines = ["承诺类型,主体类别,主体名称,证件号码,联系电话,联系人,承诺事项,签署日期"]
lines += [
    f"主动型,单位,神农架承诺{n}有限公司,{uscc_with_checks(f'91429021{n:08d}')},0719-1,,,2025/10/01"
    for n in range(1, rows + 1)
]
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    handle.write("\\n".join(lines) + "\\n")
with open(sys.argv[1], "rb") as handle:
    upload = commitment_upload_submit(
        actor=clerk, department=department, upload=File(handle, name="承诺.csv")
    )
print(upload.pk)
"""

STATE = (
    "SELECT status, attempts, received, accepted, position "
    "FROM rights_commitmentupload WHERE id = ?"
)
MADE = (
    "SELECT count(*), count(DISTINCT signer_name), "
    "coalesce(sum(CASE WHEN is_published THEN 1 ELSE 0 END), 0) "
    "FROM rights_commitment WHERE upload_id = ?"
)
SENT = "SELECT count(*) FROM core_outboxmessage WHERE topic = 'rights.commitment'"


def test_a_worker_killed_mid_upload_leaves_whole_chunks_and_the_next_finishes(platform):  # noqa: F811
    env, database, tmp_path = platform
    setup = subprocess.run(
        [sys.executable, "-c", _SUBMIT, str(tmp_path / "commitments.csv"), str(ROWS)],
        env=env, check=True, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    upload = int(setup.stdout.split()[-1])
    assert database.one(STATE, upload)[0] == "queued"

    log = open(tmp_path / "worker-1.log", "w")
    first = subprocess.Popen(
        [sys.executable, "-m", "xinyong", "worker", "--interval", "0.1"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        started = wait(lambda: 0 < database.one(STATE, upload)[2] < ROWS - 400, 180)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    assert started, (tmp_path / "worker-1.log").read_text()[-3000:]
    status, attempts, received, accepted, position = database.one(STATE, upload)
    assert (status, attempts) == ("running", 1) and 0 < received < ROWS
    # Whole chunks: every row counted has its commitment, none public or sent on.
    assert database.one(MADE, upload) == (accepted, accepted, 0)
    assert position == received + 1  # the header is row 1
    assert database.one(SENT) == (0,)

    second = subprocess.run(
        [sys.executable, "-m", "xinyong", "worker", "--until-empty", "--interval", "0.1"],
        env=env, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    assert second.returncode == 0, second.stdout + second.stderr
    assert database.one(STATE, upload) == ("done", 2, ROWS, ROWS, ROWS + 1)
    assert database.one(MADE, upload) == (ROWS, ROWS, ROWS)
    assert database.one(SENT) == (ROWS,)
