"""The site during a long import: API pushes, logins and portal pages over HTTP.

`xinyong bench lock [--rows 300000] [--database URL]` starts the platform as
production runs it, in a fresh data directory (a temporary SQLite file, or
a new database on the PostgreSQL server named by --database, dropped
afterwards): gunicorn (`--workers`, default 4 as docs/deploy.md runs it)
and one `xinyong worker`. It imports a
baseline (`--baseline` rows, so that the portal has pages to show), then a
clerk uploads `--rows` generated XZCF rows, and while the worker imports
them three clients run side by side, each one request at a time:

- api: a department system pushes one record (`POST /api/v1/items/XZCF/records`);
- login: a staff member logs in (`POST /staff/login/`, a session written);
- portal: the home page, a search, the penalties list and a subject page.

Before the upload the same clients run `--idle` seconds with no import, so
that the figures can be read against the machine's load at the time.
An answer is an error unless it is the expected one (the push done, the
login's redirect, a page's 200). It prints each kind's count, p99 and max
latency, and a last line
`lock import_s=… api_max_s=… login_max_s=… portal_max_s=… errors=N`.
"""

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import generate, machine
from bench.ingest import _drop_postgres, _fresh_postgres
from bench.upload import (
    PASSWORD,
    TODAY,
    Client,
    _wait_ready,
    bench_env,
    start_platform,
    stop_platform,
)

STATUS = re.compile(r"状态：</strong>([^<　]+)")
SETUP = f"""
import django
django.setup()
from xinyong.catalog.models import CatalogItem
from xinyong.orgs.models import Department, User

department = Department.objects.create(name="林区市场监督管理局", short_code="scjg")
CatalogItem.objects.get(code="XZCF").departments.add(department)
for name in ("clerk", "officer"):
    user = User(username=name, role=name, department=department, display_name=name)
    user.set_password("{PASSWORD}")
    user.save()
"""
# Pauses between one client's requests (seconds): a busy office, not a flood.
PAUSE = {"api": 0.2, "login": 0.2, "portal": 0.05}


def add_arguments(parser) -> None:
    parser.add_argument("--rows", type=int, default=300_000, help="导入行数（默认 300000）")
    parser.add_argument(
        "--baseline", type=int, default=20_000, help="事先导入的行数（门户页面的内容）"
    )
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL 地址，如 postgres://postgres@127.0.0.1/test；默认临时 SQLite",
    )
    parser.add_argument("--idle", type=float, default=15, help="无导入时先测的秒数（对照）")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn 进程数（默认 4）")
    parser.add_argument("--seed", type=int, default=1)


class Latencies:
    """Each kind's answer times and errors, from several threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {kind: [] for kind in PAUSE}
        self.errors: dict[str, list[str]] = {kind: [] for kind in PAUSE}

    def add(self, kind: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


def _push(port: int, token: str, number: int) -> str:
    """One record pushed by a department system; "" if it was imported."""
    row = next(generate.rows(1, seed=10_000 + number))
    record = dict(zip(generate.HEADER, row, strict=True))
    record["行政处罚决定书文号"] = f"神压测罚〔2025〕{number}号"
    record["处罚决定日期"] = "2025/12/01"
    client = Client(port)
    status, _headers, body = client.request(
        "POST",
        "/api/v1/items/XZCF/records",
        json.dumps([record], ensure_ascii=False).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    if status != 200 or json.loads(body).get("status") != "done":
        return f"HTTP {status} {body[:200]}"
    return ""


def _login(port: int) -> tuple[float, str]:
    client = Client(port)
    token = client.csrf("/staff/login/")
    started = time.perf_counter()
    status, _headers, page = client.request(
        "POST",
        "/staff/login/",
        urlencode(
            {"username": "officer", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/",
        },
    )
    return time.perf_counter() - started, "" if status == 302 else f"HTTP {status} {page[:200]}"


def _client_loop(kind: str, port: int, token: str, paths: list[str], done, latencies) -> None:
    number = 0
    while not done.is_set():
        number += 1
        started = time.perf_counter()
        try:
            if kind == "api":
                error = _push(port, token, number)
                seconds = time.perf_counter() - started
            elif kind == "login":
                seconds, error = _login(port)
            else:
                path = paths[number % len(paths)]
                status = Client(port).request("GET", path)[0]
                seconds = time.perf_counter() - started
                error = "" if status == 200 else f"HTTP {status} {path}"
        except Exception as exc:  # any failure counts as the benchmark's error
            seconds, error = time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
        latencies.add(kind, seconds, error)
        time.sleep(PAUSE[kind])


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


def _xinyong(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "xinyong", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _clients(port: int, token: str, paths: list[str]) -> tuple[Latencies, threading.Event, list]:
    """The three clients, started; stop them with the event, then join the threads."""
    latencies, done = Latencies(), threading.Event()
    threads = [
        threading.Thread(target=_client_loop, args=(kind, port, token, paths, done, latencies))
        for kind in PAUSE
    ]
    for thread in threads:
        thread.start()
    return latencies, done, threads


def _report(stdout, title: str, latencies: Latencies) -> tuple[dict[str, float], int]:
    stdout.write(title)
    figures, errors = {}, 0
    for kind, values in latencies.times.items():
        figures[kind] = max(values, default=0.0)
        errors += len(latencies.errors[kind])
        stdout.write(
            f"  {kind:<6} {len(values):>5} 次  p99 {_p99(values):6.2f} s  "
            f"max {figures[kind]:6.2f} s  错误 {len(latencies.errors[kind])}"
        )
        for error in latencies.errors[kind][:3]:
            stdout.write(f"         {error}")
    return figures, errors


def run(
    *,
    stdout,
    rows: int,
    baseline: int,
    database: str,
    seed: int,
    idle: float,
    workers: int,
    **_options,
) -> None:
    today = dt.date.fromisoformat(TODAY)
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-lock-") as tmp:
        tmp_path = Path(tmp)
        stdout.write(f"生成 {rows:,} 行 XZCF 数据（约 5% 有错）和 {baseline:,} 行基础数据……")
        path = generate.write_csv(tmp_path / "xzcf.csv", rows, seed=seed, today=today)
        base = generate.write_csv(tmp_path / "base.csv", baseline, seed=seed + 1, today=today)
        env = bench_env(tmp_path)
        dbname = ""
        if database:
            dbname, env["DATABASE_URL"] = _fresh_postgres(database)
        processes = []
        try:
            _xinyong(env, "migrate", "-v0")
            subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
            _xinyong(env, "import", str(base), "--item", "XZCF", "--department", "scjg")
            token = _xinyong(
                env, "tokens", "create", "--department", "scjg", "--name", "压测"
            ).splitlines()[-1]
            port = start_platform(env, workers, processes)
            clerk = Client(port)
            _wait_ready(clerk, processes[0])
            clerk.login("clerk", PASSWORD)
            listing = clerk.request("GET", "/shuanggongshi/penalties/")[2]
            subject = re.search(r'href="(/subjects/\d+/)"', listing)
            paths = ["/", f"/search/?q={quote('神农架')}", "/shuanggongshi/penalties/"]
            paths += [subject.group(1)] if subject else []
            item = re.search(
                r'<option value="(\d+)"[^>]*>XZCF',
                clerk.request("GET", "/staff/ingest/upload/")[2],
            ).group(1)
            calm, done, threads = _clients(port, token, paths)
            time.sleep(idle)
            done.set()
            for thread in threads:
                thread.join()
            load_idle = os.getloadavg()[0]
            before = machine.cpu_times()
            answer, status, location = clerk.upload(path, item)
            started = time.perf_counter() - answer
            if status != 302 or "/batches/" not in location:
                raise SystemExit("上传未被接受")
            stdout.write(f"上传 {path.stat().st_size / 1024 / 1024:.1f} MB，导入开始：{location}")
            latencies, done, threads = _clients(port, token, paths)
            state = ""
            while state not in ("已完成", "失败"):
                time.sleep(1)
                found = STATUS.search(clerk.request("GET", location)[2])
                state = found.group(1).strip() if found else ""
            import_s = time.perf_counter() - started
            load_import = os.getloadavg()[0]
            done.set()
            for thread in threads:
                thread.join()
            steal = machine.steal_share(before, machine.cpu_times())
        finally:
            stop_platform(processes)
            if dbname:
                _drop_postgres(database, dbname)
    engine = "PostgreSQL" if database else "SQLite"
    stdout.write(
        f"机器：{os.cpu_count()} 核；数据库：{engine}；导入 {rows:,} 行（批次{state}）"
        f"用时 {import_s:.1f} s；gunicorn {workers} 个 worker + 1 个后台工作进程；"
        f"其间宿主机占去 CPU {machine.steal_text(steal)}"
    )
    _report(stdout, f"无导入时（{idle:.0f} s，1 分钟负载 {load_idle:.1f}）：", calm)
    figures, errors = _report(stdout, f"导入期间（1 分钟负载 {load_import:.1f}）：", latencies)
    stdout.write(
        f"lock import_s={import_s:.1f} api_max_s={figures['api']:.2f} "
        f"login_max_s={figures['login']:.2f} portal_max_s={figures['portal']:.2f} "
        f"errors={errors}"
    )
