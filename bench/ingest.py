"""Intake speed: N generated XZCF rows imported through the upload code path.

`xinyong bench ingest --rows N --format csv|xlsx [--database URL]` prints the
rows per second end to end, the peak memory of the importing process, and,
on the same generated data, the rate of a bare baseline (`csv.reader` +
`sqlite3.executemany` of the same columns into one table). Every import
runs in a child process on a fresh database (a temporary SQLite file, or a
new database created on the PostgreSQL server named by --database and
dropped afterwards), so the figures are its own. `--floor` adds the
database's own time for writing the same rows (`bench/floor.py`): a lower
bound that no code of the platform can beat on the machine.
"""

import csv
import datetime as dt
import json
import logging
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench import machine

TODAY = "2026-01-05"


def add_arguments(parser) -> None:
    parser.add_argument("--rows", type=int, default=100_000, help="行数（默认 100000）")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="文件格式")
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL 地址，如 postgres://postgres@127.0.0.1/test；默认临时 SQLite",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--floor",
        action="store_true",
        help="导入后再测数据库自身写入同样数据的最短用时（无 Python 的下限，见 bench/floor.py）",
    )
    parser.add_argument("--child", default="", help=argparse_suppress())
    parser.add_argument("--baseline-only", action="store_true", help=argparse_suppress())


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def run(
    *,
    stdout,
    rows: int,
    format: str,
    database: str,
    seed: int,
    child: str,
    floor: bool,
    **_options,
) -> None:
    if child:
        _child_import(Path(child), stdout, floor=floor)
        return
    from bench import generate

    with tempfile.TemporaryDirectory(prefix="xinyong-bench-") as tmp:
        tmp_path = Path(tmp)
        today = dt.date.fromisoformat(TODAY)
        stdout.write(f"生成 {rows:,} 行 XZCF 数据（约 5% 有错）……")
        started = time.perf_counter()
        csv_path = generate.write_csv(tmp_path / "xzcf.csv", rows, seed=seed, today=today)
        path = csv_path
        if format == "xlsx":
            path = generate.write_xlsx(tmp_path / "xzcf.xlsx", rows, seed=seed, today=today)
        size_mb = path.stat().st_size / 1024 / 1024
        stdout.write(f"  {path.name} {size_mb:.1f} MB，用时 {time.perf_counter() - started:.1f} s")

        env = dict(
            os.environ,
            XINYONG_DATA_DIR=str(tmp_path / "data"),
            XINYONG_TODAY=TODAY,
            # A million rows is a 400 MB CSV: above an upload's default limit.
            XINYONG_MAX_UPLOAD_MB="4096",
        )
        env.pop("DATABASE_URL", None)
        dbname = ""
        if database:
            dbname, url = _fresh_postgres(database)
            env["DATABASE_URL"] = url
        before = machine.cpu_times()
        try:
            result = subprocess.run(
                [
                    sys.executable,
                    *("-m", "xinyong", "bench", "ingest", "--child", str(path)),
                    *(["--floor"] if floor else []),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if dbname:
                _drop_postgres(database, dbname)
        steal = machine.steal_share(before, machine.cpu_times())
        if result.returncode != 0:
            stdout.write(result.stdout + result.stderr)
            raise SystemExit("导入子进程失败")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        baseline = _baseline(csv_path, tmp_path / "baseline.sqlite3")

    engine = "PostgreSQL" if database else "SQLite"
    rate = figures["received"] / figures["seconds"]
    stdout.write("")
    stdout.write(f"机器：{os.cpu_count()} 核；数据库：{engine}；格式：{format}；行数：{rows:,}")
    stdout.write(
        f"结果：接收 {figures['received']:,}，通过 {figures['accepted']:,}，退回 {figures['rejected']:,}"
        f"（accepted + rejected = received：{figures['accepted'] + figures['rejected'] == figures['received']}）"
    )
    stdout.write(
        f"端到端导入：{figures['seconds']:.1f} s，{rate:,.0f} 行/秒"
        f"（其间宿主机占去 CPU {machine.steal_text(steal)}，/proc/stat 的 steal）"
    )
    if spent := figures.get("timings"):
        stdout.write(
            f"其中写入进程：写入 {spent['writing']:.1f} s，等待读取 {spent['waiting']:.1f} s；"
            f"之后：新记录逐块生效（闸门后）{spent['activate']:.1f} s，"
            f"批次生效（合并更正、公示期计算、开闸）{spent['publish']:.1f} s，"
            f"提交 {spent['commit']:.1f} s"
        )
    stdout.write(
        f"导入进程内存峰值（写入进程与读取进程中较大者）：{figures['max_rss_mb']:.0f} MB"
        f"（写入 {figures['writer_mb']:.0f} MB，读取 {figures['reader_mb']:.0f} MB）"
    )
    stdout.write(
        f"基线（csv.reader + sqlite3.executemany，同一数据的 CSV）：{baseline:,.0f} 行/秒；"
        f"本平台为基线的 {rate / baseline:.2f} 倍"
    )
    if "floor" in figures:
        _print_floor(stdout, figures)
    stdout.write(
        f"rows_per_s={rate:.0f} baseline_rows_per_s={baseline:.0f} ratio={rate / baseline:.3f} "
        f"peak_mb={figures['max_rss_mb']:.0f} steal={machine.steal_text(steal)}"
        + (f" floor_rows_per_s={_floor_rate(figures):.0f}" if "floor" in figures else "")
    )


def _floor_rate(figures: dict) -> float:
    return figures["received"] / figures["floor"]["seconds"]


def _print_floor(stdout, figures: dict) -> None:
    floor = figures["floor"]
    parts = "，".join(
        f"{c['table']} {c['rows']:,} 行 {c['seconds']:.1f} s" for c in floor["copies"] if c["rows"]
    )
    stdout.write(
        "数据库自身的下限（导入写入的各表以 INSERT … SELECT 复制到索引、外键相同的空表，"
        f"一个事务，无 Python）：{parts}；提交 {floor['commit']:.1f} s"
    )
    stdout.write(
        f"合计 {floor['seconds']:.1f} s：只算数据库自身的写入，本机一个事务导入这些行至多 "
        f"{_floor_rate(figures):,.0f} 行/秒"
    )
    # The two halves share two cores (part of the reading side's work may move
    # to the writing process, see pipeline.read_and_validate): at least half
    # their sum, and at least the database's part, which runs on one core.
    both = max(floor["seconds"], (floor["reading"] + floor["seconds"]) / 2)
    stdout.write(
        f"读取与校验单独（本进程一个核，不写入）：{floor['reading']:.1f} s；"
        f"与数据库下限合计分到两核，也至少 {both:.1f} s，"
        f"即现有读取代码下至多 {figures['received'] / both:,.0f} 行/秒"
    )


def _child_import(path: Path, stdout, *, floor: bool) -> None:
    """In a fresh process and database: migrate, prepare, import, report JSON."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from xinyong.catalog.models import CatalogItem
    from xinyong.ingest.services import batch_submit_file
    from xinyong.orgs.models import Department

    department, _ = Department.objects.get_or_create(
        short_code="scjg", defaults={"name": "林区市场监督管理局"}
    )
    item = CatalogItem.objects.get(code="XZCF")
    item.departments.add(department)
    # The import logs where its time went (pipeline.Timings).
    timings: dict = {}

    class Capture(logging.Handler):
        def emit(self, record) -> None:
            timings.update(getattr(record, "timings", None) or {})

    log = logging.getLogger("xinyong.ingest.pipeline")
    log.addHandler(Capture(level=logging.INFO))
    log.setLevel(logging.INFO)
    started = time.perf_counter()
    batch = batch_submit_file(department=department, item=item, path=path)
    seconds = time.perf_counter() - started
    if batch.status != "done":
        raise SystemExit(f"批次失败：{batch.failure_reason}")
    # The import's peak is that of its writing process or of its reading
    # worker (a child process, for large files), whichever is larger.
    writer_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    max_rss_mb = max(writer_mb, reader_mb)
    extra = {}
    if floor:
        from bench import floor as floor_bench

        copies, commit = floor_bench.measure()
        reading, _received = floor_bench.reading_alone(batch, path)
        extra["floor"] = {
            "copies": [asdict(copy) for copy in copies],
            "commit": commit,
            "seconds": sum(copy.seconds for copy in copies) + commit,
            "reading": reading,
        }
    stdout.write(
        json.dumps(
            {
                **extra,
                "seconds": seconds,
                "received": batch.received,
                "accepted": batch.accepted,
                "rejected": batch.rejected,
                "max_rss_mb": max_rss_mb,
                "writer_mb": writer_mb,
                "reader_mb": reader_mb,
                "timings": timings,
            }
        )
    )


def _baseline(csv_path: Path, db_path: Path) -> float:
    """The floor of the job: read the CSV and insert its columns into one table."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f"c{i}" for i in range(len(header)))
        connection.execute(f"CREATE TABLE penalty (id INTEGER PRIMARY KEY, {columns})")
        marks = ", ".join("?" * len(header))
        count = 0
        batch = []
        for row in reader:
            batch.append(row)
            if len(batch) == 10_000:
                connection.executemany(f"INSERT INTO penalty ({columns}) VALUES ({marks})", batch)
                count += len(batch)
                batch = []
        connection.executemany(f"INSERT INTO penalty ({columns}) VALUES ({marks})", batch)
        count += len(batch)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return count / seconds


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _fresh_postgres(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit, urlunsplit

    name = f"xinyong_bench_{os.getpid()}"
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def _drop_postgres(url: str, name: str) -> None:
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
