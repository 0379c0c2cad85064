"""Upload answer time: a clerk uploads N generated XZCF rows over HTTP.

`xinyong bench upload --rows N --format csv|xlsx [--database URL]` starts the
platform as production runs it, in a fresh data directory (a temporary
SQLite file, or a new database on the PostgreSQL server named by
--database, dropped afterwards): gunicorn (2 workers, its default 30 s
timeout) and one `xinyong worker`. It logs in as a clerk, uploads the file
(multipart, as a browser does), prints the time until the answer (the
redirect to the batch page), then reads the batch page every half second
and prints the progress it shows (rows read, accepted, rejected) until the
batch ends, and the total time.
"""

import datetime as dt
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench import machine
from bench.ingest import _drop_postgres, _fresh_postgres
from bench.search import _free_port

TODAY = "2026-01-05"
PASSWORD = "bench-upload-123"  # noqa: S105 — the benchmark's own throw-away clerk
POLL_EVERY = 0.5  # seconds
SETUP = f"""
import django
django.setup()
from xinyong.catalog.models import CatalogItem
from xinyong.orgs.models import Department, User

department = Department.objects.create(name="林区市场监督管理局", short_code="scjg")
CatalogItem.objects.get(code="XZCF").departments.add(department)
clerk = User(username="clerk", role="clerk", department=department, display_name="clerk")
clerk.set_password("{PASSWORD}")
clerk.save()
"""
_PROGRESS = re.compile(r"已读取 (\d+) 行，通过 (\d+) 行，退回 (\d+) 行")
_STATUS = re.compile(r"状态：</strong>([^<　]+)")
_CELLS = re.compile(r"<tbody><tr><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>")


def add_arguments(parser) -> None:
    parser.add_argument("--rows", type=int, default=200_000, help="行数（默认 200000）")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="文件格式")
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL 地址，如 postgres://postgres@127.0.0.1/test；默认临时 SQLite",
    )
    parser.add_argument("--seed", type=int, default=1)


class Client:
    """A browser's requests over one host: cookies, CSRF, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=b"", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.headers, content.decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        _status, _headers, page = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username: str, password: str) -> None:
        token = self.csrf("/staff/login/")
        status, _headers, _page = self.request(
            "POST",
            "/staff/login/",
            urlencode(
                {"username": username, "password": password, "csrfmiddlewaretoken": token}
            ).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self._origin()},
        )
        if status != 302:
            raise SystemExit(f"登录失败（{status}）")

    def upload(self, path: Path, item_pk: str) -> tuple[float, int, str]:
        """Returns (seconds to the answer, status, Location)."""
        token = self.csrf("/staff/ingest/upload/")
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\n'
            f'{item_pk}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        started = time.perf_counter()
        status, headers, _page = self.request(
            "POST",
            "/staff/ingest/upload/",
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self._origin(),
            },
        )
        return time.perf_counter() - started, status, headers.get("Location", "")

    def _origin(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def run(*, stdout, rows: int, format: str, database: str, seed: int, **_options) -> None:
    from bench import generate

    with tempfile.TemporaryDirectory(prefix="xinyong-bench-upload-") as tmp:
        tmp_path = Path(tmp)
        today = dt.date.fromisoformat(TODAY)
        stdout.write(f"生成 {rows:,} 行 XZCF 数据（约 5% 有错）……")
        path = generate.write_csv(tmp_path / "xzcf.csv", rows, seed=seed, today=today)
        if format == "xlsx":
            path = generate.write_xlsx(tmp_path / "xzcf.xlsx", rows, seed=seed, today=today)
        size_mb = path.stat().st_size / 1024 / 1024
        stdout.write(f"  {path.name} {size_mb:.1f} MB")
        env = bench_env(tmp_path)
        dbname = ""
        if database:
            dbname, env["DATABASE_URL"] = _fresh_postgres(database)
        processes = []
        try:
            subprocess.run([sys.executable, "-m", "xinyong", "migrate", "-v0"], env=env, check=True)
            subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
            port = start_platform(env, 2, processes)
            client = Client(port)
            _wait_ready(client, processes[0])
            client.login("clerk", PASSWORD)
            item = re.search(
                r'<option value="(\d+)"[^>]*>XZCF',
                client.request("GET", "/staff/ingest/upload/")[2],
            ).group(1)
            before = machine.cpu_times()
            answer, status, location = client.upload(path, item)
            stdout.write(
                f"上传 {size_mb:.1f} MB：{answer:.2f} s 后得到答复（HTTP {status} → {location}）"
            )
            if status != 302 or "/batches/" not in location:
                raise SystemExit("上传未被接受")
            started = time.perf_counter() - answer
            samples = _poll(client, location, started, stdout)
            total = time.perf_counter() - started
            steal = machine.steal_share(before, machine.cpu_times())
        finally:
            stop_platform(processes)
            if dbname:
                _drop_postgres(database, dbname)
    engine = "PostgreSQL" if database else "SQLite"
    status, received, accepted, rejected = samples[-1][1:]
    stdout.write("")
    stdout.write(
        f"机器：{os.cpu_count()} 核；数据库：{engine}；格式：{format}；行数：{rows:,}；"
        f"gunicorn 2 个 worker + 1 个后台工作进程"
    )
    stdout.write(
        f"答复 {answer:.2f} s；批次{status}：接收 {received:,}，通过 {accepted:,}，退回 {rejected:,}；"
        f"上传到完成共 {total:.1f} s（{received / total:,.0f} 行/秒）；"
        f"页面显示进度 {sum(1 for s in samples if s[1] == '处理中' and s[2])} 次"
        f"（其间宿主机占去 CPU {machine.steal_text(steal)}）"
    )
    stdout.write(
        f"answer_s={answer:.3f} total_s={total:.1f} rows={received} "
        f"progress_pages={sum(1 for s in samples if s[1] == '处理中' and s[2])} "
        f"steal={machine.steal_text(steal)}"
    )


def bench_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a platform in a fresh data directory under `tmp_path`."""
    env = dict(
        os.environ,
        XINYONG_DATA_DIR=str(tmp_path / "data"),
        XINYONG_TODAY=TODAY,
        XINYONG_MAX_UPLOAD_MB="4096",
        DJANGO_SETTINGS_MODULE="xinyong.settings",
    )
    env.pop("DATABASE_URL", None)
    return env


def start_platform(env: dict[str, str], workers: int, processes: list) -> int:
    """gunicorn with `workers` and one `xinyong worker`, appended to
    `processes` (stop them with `stop_platform`); the server's port."""
    port = _free_port()
    server = [sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
              "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    processes.append(subprocess.Popen(server, env=env, start_new_session=True))
    processes.append(
        subprocess.Popen(
            [sys.executable, "-m", "xinyong", "worker", "-v0", "--interval", "0.2"],
            env=env,
            start_new_session=True,
        )
    )
    return port


def stop_platform(processes: list) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_ready(client: Client, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn 未能启动")
        try:
            if client.request("GET", "/staff/login/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn 60 秒内未就绪")


def _poll(client: Client, location: str, started: float, stdout) -> list[tuple]:
    """Read the batch page until the batch ends; print each new state."""
    samples: list[tuple] = []
    last = None
    while True:
        _status, _headers, page = client.request("GET", location)
        status = _STATUS.search(page).group(1).strip()
        found = _PROGRESS.search(page) or (_CELLS.search(page) if status == "已完成" else None)
        counts = tuple(int(x) for x in found.groups()) if found else (0, 0, 0)
        refresh = 'http-equiv="refresh"' in page
        sample = (time.perf_counter() - started, status, *counts)
        samples.append(sample)
        if (status, counts) != last:
            stdout.write(
                f"  {sample[0]:6.1f} s  {status}  已读取 {counts[0]:>9,}  通过 {counts[1]:>9,}  "
                f"退回 {counts[2]:>7,}{'  （页面自动刷新）' if refresh else ''}"
            )
            last = (status, counts)
        if status in ("已完成", "失败"):
            return samples
        time.sleep(POLL_EVERY)
