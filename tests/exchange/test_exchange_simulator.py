"""The simulator as a real server: pushes, failures, duplicates, feeds, and
`xinyong exchange simulator` as a process."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from xinyong.exchange import simulator


def post(url, body, key=None):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def get(url):
    with urllib.request.urlopen(url) as answer:
        return json.load(answer)


def test_pushes_failures_duplicates_and_feeds():
    province = simulator.Province(fail_rate=0.0)
    server = simulator.serve(port=0, province=province)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        first = post(base + "/push", {"topic": "t", "sent_at": "2025-10-09T04:00:00+00:00"}, "k1")
        again = post(base + "/push", {"topic": "t"}, "k1")
        assert first["ack_id"] == again["ack_id"] and again["duplicate"]
        with pytest.raises(urllib.error.HTTPError) as refused:
            post(base + "/push", {"topic": "t"})  # no key
        assert refused.value.code == 400
        province.fail_rate = 1.0
        with pytest.raises(urllib.error.HTTPError) as failed:
            post(base + "/push", {"topic": "t"}, "k2")
        assert failed.value.code == 503
        stats = get(base + "/stats")
        assert (stats["received"], stats["duplicates"], stats["failures"]) == (1, 1, 1)
        assert get(base + "/receipts?day=2025-10-09")["items"] == [
            {"idempotency_key": "k1", "ack_id": first["ack_id"]}
        ]
        post(base + "/feeds/sxbzx", [{"id": str(i)} for i in range(3)])
        province.page = 2
        page = get(base + "/feeds/sxbzx?cursor=")
        assert ([i["id"] for i in page["items"]], page["next_cursor"], page["more"]) == (
            ["0", "1"],
            "2",
            True,
        )
        page = get(base + "/feeds/sxbzx?cursor=2")
        assert ([i["id"] for i in page["items"]], page["more"]) == (["2"], False)
    finally:
        server.shutdown()
        server.server_close()


def test_the_command_serves_until_terminated(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "xinyong", "exchange", "simulator", "--port", "0", "--demo-feeds"],
        stdout=subprocess.PIPE,
        text=True,
        env={**__import__("os").environ, "XINYONG_DATA_DIR": str(tmp_path)},
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("simulator listening on http://127.0.0.1:")
        base = line.split()[-1]
        assert get(base + "/stats")["received"] == 0
        assert len(get(base + "/feeds/sxbzx")["items"]) == 2
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
