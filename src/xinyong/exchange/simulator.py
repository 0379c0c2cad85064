"""A simulator of the provincial platform (信用湖北), a real HTTP server for
tests and demos: `xinyong exchange simulator --port P [--fail-rate R]
[--slow-ms M] [--feeds FILE]`.

- `POST /push` (header `Idempotency-Key`, JSON body): a share `fail-rate` of
  calls fails with 503 before anything is recorded; otherwise the item is
  recorded under its key (a key seen before counts as a duplicate and gets
  its first acknowledgement again), then the answer waits `slow-ms` (so a
  sender killed meanwhile never hears the acknowledgement, as when a
  connection drops) and is `{"ack_id": …}`.
- `GET /stats`: `{"received": distinct keys, "duplicates": repeated pushes,
  "calls", "failures", "topics": {topic: n}}`.
- `GET /receipts?day=YYYY-MM-DD`: the keys received on a day (the day the
  sender stamped on the push, `sent_at`, Beijing time) with their acks.
- `GET /items/<key>`: one received item as pushed (tests).
- `GET /feeds/<name>?cursor=N`: an inbound feed after a cursor (the index
  of the next item), `{"items", "next_cursor", "more"}`, `page` items at a
  time; `POST /feeds/<name>` with a JSON list appends items (tests, demos).

State lives in memory; a restart forgets it. Standard library only.
"""

import datetime as dt
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_BODY = 10 * 1024 * 1024


@dataclass
class Province:
    fail_rate: float = 0.0
    slow_ms: int = 0
    page: int = 100
    seed: int | None = None
    received: dict[str, dict[str, Any]] = field(default_factory=dict)
    duplicates: int = 0
    calls: int = 0
    failures: int = 0
    feeds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - simulated failures, not a secret

    def push(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.calls += 1
            if self.rng.random() < self.fail_rate:
                self.failures += 1
                return 503, {"code": "unavailable", "message": "省级平台暂时不可用（模拟）"}
            if key in self.received:
                self.duplicates += 1
                return 200, {"ack_id": self.received[key]["ack_id"], "duplicate": True}
            ack = f"HB-{len(self.received) + 1:08d}"
            self.received[key] = {"ack_id": ack, "day": _day_of(body), "body": body}
            return 200, {"ack_id": ack, "duplicate": False}

    def stats(self) -> dict[str, Any]:
        with self.lock:
            topics: dict[str, int] = {}
            for item in self.received.values():
                topic = str(item["body"].get("topic", ""))
                topics[topic] = topics.get(topic, 0) + 1
            return {
                "received": len(self.received),
                "duplicates": self.duplicates,
                "calls": self.calls,
                "failures": self.failures,
                "topics": topics,
            }

    def receipts(self, day: str) -> list[dict[str, str]]:
        with self.lock:
            return [
                {"idempotency_key": key, "ack_id": item["ack_id"]}
                for key, item in self.received.items()
                if item["day"] == day
            ]

    def feed_page(self, name: str, cursor: str) -> dict[str, Any]:
        start = int(cursor) if cursor.isdigit() else 0
        with self.lock:
            items = self.feeds.get(name, [])
            page = items[start : start + self.page]
            end = start + len(page)
            return {"items": page, "next_cursor": str(end), "more": end < len(items)}


def _day_of(body: dict[str, Any]) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(body.get("sent_at")))
    except ValueError:
        moment = dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SHANGHAI).date().isoformat()


class _Handler(BaseHTTPRequestHandler):
    server: "SimulatorServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _answer(self, status: int, body: object) -> None:
        content = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        try:
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender is gone (killed mid-push): it never hears this answer

    def _body(self) -> object:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("too large")
        return json.loads(self.rfile.read(length) or b"null")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        province = self.server.province
        if parts.path == "/stats":
            self._answer(200, province.stats())
        elif parts.path == "/receipts":
            self._answer(200, {"items": province.receipts(query.get("day", ""))})
        elif parts.path.startswith("/items/"):
            key = unquote(parts.path.removeprefix("/items/"))
            with province.lock:
                item = province.received.get(key)
            self._answer(200 if item else 404, item or {"code": "not_found"})
        elif parts.path.startswith("/feeds/"):
            name = parts.path.removeprefix("/feeds/")
            self._answer(200, province.feed_page(name, query.get("cursor", "")))
        else:
            self._answer(404, {"code": "not_found", "message": "未知路径"})

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        province = self.server.province
        try:
            body = self._body()
        except ValueError:
            self._answer(400, {"code": "bad_json", "message": "请求体不是合法的 JSON"})
            return
        if parts.path == "/push":
            key = self.headers.get("Idempotency-Key", "")
            if not key or not isinstance(body, dict):
                self._answer(400, {"code": "bad_request", "message": "缺少 Idempotency-Key 或内容"})
                return
            status, answer = province.push(key, body)
            if province.slow_ms:
                time.sleep(province.slow_ms / 1000)
            self._answer(status, answer)
        elif parts.path.startswith("/feeds/") and isinstance(body, list):
            name = parts.path.removeprefix("/feeds/")
            with province.lock:
                province.feeds.setdefault(name, []).extend(i for i in body if isinstance(i, dict))
                total = len(province.feeds[name])
            self._answer(200, {"items": total})
        else:
            self._answer(404, {"code": "not_found", "message": "未知路径"})


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], province: Province, *, verbose: bool = False):
        super().__init__(address, _Handler)
        self.province = province
        self.verbose = verbose


def demo_feeds() -> dict[str, list[dict[str, Any]]]:
    """A few inbound items for the demo: two court listings, a tax listing,
    and a repair result ending one of them."""
    court = {
        "decided_by": "神农架林区人民法院",
        "basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
    }
    return {
        "sxbzx": [
            {
                "id": "SX-2025-0001",
                "op": "list",
                "list_code": "SXBZX",
                "subject": {
                    "kind": "legal",
                    "name": "神农架林区某建材有限公司",
                    "uscc": "91429021MA49XK2P40",
                },
                "document_number": "（2025）鄂9021执123号",
                "listed_on": "2025-06-01",
                "valid_until": "2027-05-31",
                "reasons": "有履行能力而拒不履行生效法律文书确定的义务",
                **court,
            },
            {
                "id": "SX-2025-0002",
                "op": "list",
                "list_code": "SXBZX",
                "subject": {
                    "kind": "legal",
                    "name": "神农架某旅游开发有限公司",
                    "uscc": "91429021MA4A0B8X4G",
                },
                "document_number": "（2025）鄂9021执207号",
                "listed_on": "2025-07-15",
                "valid_until": "2027-07-14",
                "reasons": "违反财产报告制度",
                **court,
            },
        ],
        "zdsswf": [
            {
                "id": "SW-2025-0001",
                "op": "list",
                "list_code": "ZDSSWF",
                "subject": {
                    "kind": "legal",
                    "name": "神农架某商贸有限公司",
                    "uscc": "91429021MA4B1C2D16",
                },
                "document_number": "神税稽罚〔2025〕12号",
                "listed_on": "2025-08-20",
                "valid_until": "2028-08-19",
                "reasons": "偷税数额100万元以上且占应纳税额10%以上",
                "basis": "《重大税收违法失信主体信息公布管理办法》第六条",
                "decided_by": "国家税务总局神农架林区税务局",
            },
        ],
        "repair": [
            {
                "id": "XF-2025-0001",
                "op": "remove",
                "list_code": "SXBZX",
                "subject": {
                    "kind": "legal",
                    "name": "神农架某旅游开发有限公司",
                    "uscc": "91429021MA4A0B8X4G",
                },
                "document_number": "（2025）鄂9021执207号",
                "ended_on": "2025-09-30",
                "reason": "已履行生效法律文书确定的义务，信用修复",
            },
        ],
    }


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    province: Province,
    ready: "threading.Event | None" = None,
    verbose: bool = False,
) -> SimulatorServer:
    """A started server (in a daemon thread); `.server_address` has its port."""
    server = SimulatorServer((host, port), province, verbose=verbose)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    if ready is not None:
        ready.set()
    return server
