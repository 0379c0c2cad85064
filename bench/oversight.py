"""Oversight speed: a month's indicators, the 通报, the year's 考核 and the credit office's home.

`xinyong bench oversight [--subjects N] [--database URL]` loads N subjects, N/10 list
entries and N records as `bench check` does (decisions spread over the 700 days before
2026-06-01, published on their day; a third of them 失信被执行人 of the court), plus 20
powers of the 权力清单 per department, into a fresh database (a temporary SQLite file, or a
new PostgreSQL database on the server named by --database, dropped afterwards), in a child
process. In that child, on 2026-06-01, it times:

- the indicators of May 2026 for every department (`scoring.compute_month`: what
  `xinyong oversight indicators --month 2026-05` and the 通报 read);
- the monthly 通报 of May 2026 (`report_generate`: figures stored, charts, HTML, PDF), which
  the scheduled task makes on the 5th working day;
- the credit office's staff home with a cold cache (the district's indicators of the month
  under way against May, the overdue items, every panel), by Django's test client;
- the twelve 通报 of 2025, one after the other, and then the year's 考核 of 2025
  (`assessment_year`, which reads the figures they stored).

The last line: `oversight month_s=… report_s=… home_s=… reports_2025_s=… year_s=…`.
"""

import json
import os
import resource
import subprocess
import sys
import time

from bench import machine
from bench.check import TODAY, _load_lists_and_records, _load_subjects
from bench.search import server_environment

POWERS_PER_DEPARTMENT = 20


def add_arguments(parser) -> None:
    parser.add_argument(
        "--subjects", type=int, default=1_000_000, help="主体数与记录数（默认 1000000）"
    )
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL 地址，如 postgres://postgres@127.0.0.1/test；默认临时 SQLite",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", default="", help=_suppress())


def _suppress():
    import argparse

    return argparse.SUPPRESS


def _timed(fn):
    began = time.perf_counter()
    cpu = time.process_time()
    result = fn()
    return result, time.perf_counter() - began, time.process_time() - cpu


def _child(subjects: int, seed: int, stdout) -> None:
    import datetime as dt
    import random

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    from xinyong.core import clock
    from xinyong.orgs.models import Department, User
    from xinyong.oversight.assessment import assessment_year
    from xinyong.oversight.models import Power
    from xinyong.oversight.periods import Month
    from xinyong.oversight.scoring import compute_month
    from xinyong.oversight.services.reports import report_generate

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    began = time.perf_counter()
    rows, persons = _load_subjects(subjects, rng, now)
    info = _load_lists_and_records(rows, persons, rng, now)
    for n in range(25):  # the district's other departments, with nothing submitted
        Department.objects.get_or_create(short_code=f"bm{n}", defaults={"name": f"林区第{n}局"})
    departments = list(Department.objects.government())
    Power.objects.bulk_create(
        Power(
            department=department,
            kind=Power.Kind.PENALTY if n % 2 else Power.Kind.LICENCE,
            code=f"{department.short_code}-{n:03d}",
            name=f"对{'无照经营' if n % 3 else '虚假宣传'}行为的处罚（{n}）",
            imported_at=now,
        )
        for department in departments
        for n in range(POWERS_PER_DEPARTMENT)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    load_seconds = time.perf_counter() - began
    admin = User.objects.create_superuser("bench_admin", None, None)
    month = Month(2026, 5)

    with clock.pinned(TODAY):
        figures, month_s, month_cpu = _timed(lambda: compute_month(month))
        report, report_s, report_cpu = _timed(lambda: report_generate(month=month))
        cache.clear()
        client = Client()
        client.force_login(admin)
        home, home_s, home_cpu = _timed(lambda: client.get("/staff/"))
        # The year's 考核 reads the figures each month's 通报 stored: make 2025's twelve.
        _made, reports_s, reports_cpu = _timed(
            lambda: [report_generate(month=Month(2025, m)) for m in range(1, 13)]
        )
        year, year_s, year_cpu = _timed(lambda: assessment_year(2025))
    if home.status_code != 200:
        raise SystemExit(f"工作台返回 {home.status_code}")
    received = sum(f.tally("intake_on_time").denominator for f in figures)
    if year.months != list(range(1, 13)):
        raise SystemExit(f"2025年度考核只读到 {year.months} 月")
    stdout.write(
        json.dumps(
            {
                "records": info["records"],
                "entries": info["entries"],
                "departments": len(departments),
                "load_seconds": load_seconds,
                "month_received": received,
                "month": [month_s, month_cpu],
                "report": [report_s, report_cpu],
                "report_pdf_kb": len(bytes(report.pdf or b"")) / 1024,
                "home": [home_s, home_cpu],
                "reports_2025": [reports_s, reports_cpu],
                "year": [year_s, year_cpu],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "vendor": connection.vendor,
            }
        )
    )


def run(*, stdout, subjects: int, database: str, seed: int, child: str, **_) -> None:
    if child:
        _child(subjects, seed, stdout)
        return
    with server_environment("oversight", database, TODAY, wrk=False) as env:
        engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
        stdout.write(f"载入 {subjects:,} 个主体、名单条目和记录（{engine}），再计时……")
        before = machine.cpu_times()
        done = subprocess.run(
            [sys.executable, "-m", "xinyong", "bench", "oversight", "--child", "1",
             "--subjects", str(subjects), "--seed", str(seed)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        steal = machine.steal_share(before, machine.cpu_times())
    if done.returncode != 0:
        stdout.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit("基准子进程失败")
    f = json.loads(done.stdout.strip().splitlines()[-1])
    stdout.write(
        f"机器：{os.cpu_count()} 核；数据库：{engine}；记录 {f['records']:,}，名单条目 {f['entries']:,}，"
        f"部门 {f['departments']}；载入 {f['load_seconds']:.1f} s"
    )
    rows = [
        ("2026年5月各部门指标（compute_month）", "month"),
        ("2026年5月通报（指标入库、图表、HTML、PDF）", "report"),
        ("信用办工作台首页（缓存为空）", "home"),
        ("2025年12个月的通报（依次生成）", "reports_2025"),
        ("2025年度考核（assessment_year，读12个月入库的指标）", "year"),
    ]
    for label, key in rows:
        wall, cpu = f[key]
        stdout.write(f"  {label}：{wall:.2f} s（本进程 CPU {cpu:.2f} s）")
    stdout.write(
        f"  5月接收记录 {f['month_received']:,} 条；通报 PDF {f['report_pdf_kb']:.0f} KB；"
        f"进程内存峰值 {f['peak_mb']:.0f} MB；宿主机占去 CPU {machine.steal_text(steal)}"
    )
    stdout.write(
        "oversight "
        + " ".join(f"{key}_s={f[key][0]:.2f}" for _label, key in rows)
        + f" records={f['records']} vendor={f['vendor']}"
    )
