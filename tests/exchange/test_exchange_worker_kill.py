"""`kill -9` of the worker in the middle of a push, then a restart: nothing
is lost, and the push the killed worker never heard answered is sent again
and absorbed by its idempotency key.

Real processes on a real database (a SQLite file, or a fresh PostgreSQL
database when the suite runs on PostgreSQL): the simulator as `xinyong
exchange simulator`, the workers as `xinyong worker`.
"""

import json
import signal
import subprocess
import sys
import urllib.request

from support.platform import wait

MESSAGES = 60  # more than one batch (50): the restarted worker runs delivery twice

_ENQUEUE = """
import sys
import django
django.setup()
from django.db import transaction
from xinyong.core.outbox import outbox_enqueue
with transaction.atomic():
    for i in range(int(sys.argv[1])):
        outbox_enqueue(topic="lists.entry", key=f"ListEntry:{i}", payload={"event": "decided", "i": i})
"""

NOT_SENT = "SELECT count(*) FROM core_outboxmessage WHERE status <> 'sent'"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.load(answer)


def test_a_worker_killed_mid_push_loses_nothing_and_duplicates_are_absorbed(platform):
    env, database, tmp_path = platform
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xinyong",
            "exchange",
            "simulator",
            "--port",
            "0",
            "--slow-ms",
            "150",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    workers: list[subprocess.Popen] = []
    try:
        base = sim.stdout.readline().split()[-1]
        assert base.startswith("http://127.0.0.1:")
        env = {**env, "XINYONG_EXCHANGE_URL": base, "XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP": "1"}
        subprocess.run(
            [sys.executable, "-c", _ENQUEUE, str(MESSAGES)], env=env, check=True, timeout=120
        )
        assert database.one(NOT_SENT) == (MESSAGES,)

        log = open(tmp_path / "worker-1.log", "w")
        first = subprocess.Popen(
            [sys.executable, "-m", "xinyong", "worker", "--interval", "0.1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append(first)
        # Mid-push: some items received, and (150 ms per answer) most likely one
        # received whose answer the worker is still waiting for.
        assert wait(lambda: _get(base + "/stats")["received"] >= 10, 120), "no push started"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        log.close()
        killed_at = _get(base + "/stats")
        assert killed_at["received"] < MESSAGES
        sent_before = MESSAGES - database.one(NOT_SENT)[0]
        assert sent_before <= killed_at["received"] <= sent_before + 1

        # A new worker: the dead one's task is marked failed, delivery runs again.
        log = open(tmp_path / "worker-2.log", "w")
        second = subprocess.Popen(
            [sys.executable, "-m", "xinyong", "worker", "--interval", "0.1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append(second)
        done = wait(lambda: database.one(NOT_SENT) == (0,), 180)
        log.close()
        assert done, (tmp_path / "worker-2.log").read_text()

        stats = _get(base + "/stats")
        # Every item exactly once; the push the killed worker sent but never
        # marked came again and was counted a duplicate, not a second item.
        assert stats["received"] == MESSAGES
        assert stats["duplicates"] == killed_at["received"] - sent_before
        assert stats["calls"] == stats["received"] + stats["duplicates"]
        assert database.one(
            "SELECT count(DISTINCT ack_id) FROM core_outboxmessage WHERE status = 'sent'"
        ) == (MESSAGES,)
        key, ack = database.one(
            "SELECT idempotency_key, ack_id FROM core_outboxmessage ORDER BY id LIMIT 1"
        )
        assert _get(base + "/items/" + urllib.request.quote(key))["ack_id"] == ack
        status = subprocess.run(
            [sys.executable, "-m", "xinyong", "exchange", "status"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert status.stdout.strip().splitlines()[-1] == f"pending=0 sent={MESSAGES} failed=0"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        sim.terminate()
        sim.wait(timeout=10)
