"""联合奖惩核查 speed: single checks over HTTP (wrk), and a bulk check of 10,000 bidders.

`xinyong bench check [--subjects N] [--database URL] [--seconds S]` loads N
subjects (default 10^6; about 5% natural persons), N/10 list entries
decided here (on 拖欠农民工工资 and 安全生产 lists), N records (a third
失信被执行人 of the court's SXBZX item, which feed that list, the rest
行政处罚 of which one in ten is 严重 and still public) into a fresh database
(a temporary SQLite file, or a new PostgreSQL database on the server named by
--database, dropped afterwards), in a child process. It then times, in that
child, the worker's run of a queued bulk check of 10,000 bidders (an xlsx written for it: listed
companies, clean ones, names only, malformed codes), starts gunicorn with 2
workers and drives `POST /api/v1/checks` at concurrency 16 with wrk, with a
department's token: USCCs of listed companies (hits), USCCs of others
(misses), full names (name path), ID numbers of listed persons. Each check is
logged and audited as in production. The trivial view `/healthz` of the same
run is the ceiling. The last line:

    check req/s=… p99_ms=… ceiling=… ratio=… bulk_s=…
"""

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import machine, search
from bench.search import _free_port, _names, _wait_ready

TODAY = "2026-06-01"
CONCURRENCY = 16
WORKERS = 2
BULK_ROWS = 10_000
MIX = {"hit_uscc": 40, "miss_uscc": 30, "name": 20, "person": 10}


def add_arguments(parser) -> None:
    parser.add_argument("--subjects", type=int, default=1_000_000, help="主体数（默认 1000000）")
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL 地址，如 postgres://postgres@127.0.0.1/test；默认临时 SQLite",
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="测量时长（秒）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", default="", help=_suppress())


def _suppress():
    import argparse

    return argparse.SUPPRESS


# -- the child: load, time the bulk check, print what the driver needs -----------------


def _load_subjects(subjects: int, rng: random.Random, now) -> tuple[list[tuple], dict[int, str]]:
    from django.db import connection, transaction

    from xinyong.core.identifiers import resident_id_with_check, uscc_with_checks
    from xinyong.core.masking import mask_id_number
    from xinyong.subjects.hashing import id_digest

    names = _names(rng)
    rows: list[tuple] = []
    person_ids: dict[int, str] = {}
    for i in range(1, subjects + 1):
        if rng.random() < 0.05:
            # Distinct ID numbers: district code, a birth date, a sequence.
            born = dt.date(1950, 1, 1) + dt.timedelta(days=i % 18000)
            number = resident_id_with_check(f"429021{born:%Y%m%d}{(i // 18000) % 1000:03d}")
            person_ids[i] = number
            rows.append(
                (
                    i,
                    "person",
                    f"王{i}",
                    f"王{i}",
                    None,
                    id_digest(number),
                    mask_id_number(number),
                    now,
                    now,
                )
            )
            continue
        name, form = next(names)
        name = f"{name[: -len(form)]}{i}{form}"  # distinct names: a name check finds one
        kind = "individual_business" if form in ("经营部", "商店") else "legal"
        prefix = {"经营部": "92", "商店": "92", "农民专业合作社": "93"}.get(form, "91")
        rows.append(
            (i, kind, name, name, uscc_with_checks(f"{prefix}429021{i:08d}"), None, "", now, now)
        )
    columns = "id, kind, name, name_key, uscc, id_digest, id_masked, created_at, updated_at"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY subjects_subject ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('subjects_subject', 'id'), %s)", [subjects]
            )
        else:
            marks = ", ".join(["%s"] * 9)
            for start in range(0, len(rows), 50_000):
                cursor.executemany(
                    f"INSERT INTO subjects_subject ({columns}) VALUES ({marks})",
                    [
                        (*r[:7], r[7].isoformat(sep=" ")[:26], r[8].isoformat(sep=" ")[:26])
                        for r in rows[start : start + 50_000]
                    ],
                )
    return rows, dict(list(person_ids.items())[:5000])


def _load_lists_and_records(rows: list[tuple], persons: dict[int, str], rng, now) -> dict:
    from xinyong.catalog.models import CatalogItem
    from xinyong.lists.models import ListEntry, ListType
    from xinyong.orgs.models import Department
    from xinyong.records.models import Record

    today = dt.date.fromisoformat(TODAY)
    court, _ = Department.objects.get_or_create(
        short_code="fayuan", defaults={"name": "神农架林区人民法院"}
    )
    renshe, _ = Department.objects.get_or_create(
        short_code="renshe", defaults={"name": "林区人力资源和社会保障局"}
    )
    scjg, _ = Department.objects.get_or_create(
        short_code="scjg", defaults={"name": "林区市场监督管理局"}
    )
    items = {i.code: i for i in CatalogItem.objects.filter(code__in=["XZCF", "SXBZX"])}
    types = [ListType.objects.get(code="TQNMGGZ"), ListType.objects.get(code="AQSCYZSX")]
    organisations = [r for r in rows if r[1] != "person"]
    entries = max(1, len(rows) // 10)
    listed = rng.sample(organisations, min(entries, len(organisations)))
    person_listed = list(persons)[:1000]
    batch: list[ListEntry] = []
    for n, subject_id in enumerate(
        [r[0] for r in listed[: entries - len(person_listed)]] + person_listed
    ):
        listed_on = today - dt.timedelta(days=rng.randrange(30, 900))
        batch.append(
            ListEntry(
                list_type=types[n % 2], subject_id=subject_id, status="decided",
                decided_by=renshe, reasons="拖欠农民工工资", basis="人社部令第45号",
                proposed_on=listed_on - dt.timedelta(days=40), notice_number=f"神人社告〔2025〕{n}号",
                notified_on=listed_on - dt.timedelta(days=30),
                objection_until=listed_on - dt.timedelta(days=20),
                document_number=f"神人社决〔2025〕{n}号", listed_on=listed_on,
                valid_until=listed_on + dt.timedelta(days=3 * 365), published_on=listed_on,
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
        if len(batch) >= 5000:
            ListEntry.objects.bulk_create(batch)
            batch = []
    ListEntry.objects.bulk_create(batch)

    records: list[Record] = []
    written = 0
    sxbzx = items["SXBZX"]
    xzcf = items["XZCF"]
    for n, row in enumerate(rows):
        subject_id, _kind, name, _key, uscc = row[:5]
        decided = today - dt.timedelta(days=rng.randrange(1, 700))
        court_case = n % 3 == 0
        item = sxbzx if court_case else xzcf
        doc = f"(2025)鄂9021执{n}号" if court_case else f"神市监罚〔2025〕{n}号"
        serious = not court_case and n % 10 == 1
        records.append(
            Record(
                item=item, version_id=item.current_version_id,
                department=court if court_case else scjg, subject_id=subject_id,
                doc_number=doc, record_key=doc, decision_date=decided,
                data={"subject_name": name, "subject_uscc": uscc or "", "doc_number": doc},
                content_hash=f"h{n}", submitted_on=decided, created_at=now, updated_at=now,
                published_on=decided, disclosure_rule="bench",
                disclosure_tier="serious" if serious else "general",
                disclosure_end=decided + dt.timedelta(days=1000 if serious else 365),
            )
        )  # fmt: skip
        if len(records) >= 5000:
            Record.objects.bulk_create(records)
            written += len(records)
            records = []
    Record.objects.bulk_create(records)
    written += len(records)
    hit_usccs = [r[4] for r in listed if r[4]][:3000]
    court_usccs = [rows[n][4] for n in range(0, len(rows), 3) if rows[n][4]][:3000]
    listed_ids = {r[0] for r in listed}
    miss = [r for r in organisations if r[0] not in listed_ids and (r[0] - 1) % 3 != 0][:3000]
    return {
        "entries": entries,
        "records": written,
        "hit_usccs": hit_usccs + court_usccs,
        "miss_usccs": [r[4] for r in miss if r[4]],
        "names": [r[2] for r in rng.sample(organisations, min(3000, len(organisations)))],
        "person_ids": [persons[i] for i in person_listed],
    }


def _bulk_file(info: dict, rng: random.Random, path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["序号", "投标人名称", "统一社会信用代码"])
    for n in range(1, BULK_ROWS + 1):
        roll = rng.random()
        if roll < 0.3:
            sheet.append([n, "", rng.choice(info["hit_usccs"])])
        elif roll < 0.8:
            sheet.append([n, "", rng.choice(info["miss_usccs"])])
        elif roll < 0.95:
            sheet.append([n, rng.choice(info["names"]), ""])
        else:
            sheet.append([n, rng.choice(info["names"]), "91429021000000000X"])  # malformed
    workbook.save(path)
    return path


def _child_load(subjects: int, seed: int, stdout) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from xinyong.core.audit import SYSTEM
    from xinyong.orgs.models import Department, User
    from xinyong.orgs.services import api_token_create

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    rows, persons = _load_subjects(subjects, rng, now)
    info = _load_lists_and_records(rows, persons, rng, now)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    load_seconds = time.perf_counter() - started
    ggzy, _ = Department.objects.get_or_create(
        short_code="ggzy", defaults={"name": "林区公共资源交易监督管理局"}
    )
    _token, secret = api_token_create(actor=SYSTEM, department=ggzy, name="招投标系统")
    officer = User.objects.create(username="bench_officer", role="officer", department=ggzy)

    # The bulk check: queued as the staff page queues it, then the worker's
    # task run in this process (timed: the worker's time for the file).
    from xinyong.core import clock
    from xinyong.sanctions.services.batches import check_batch_run, check_batch_submit

    with tempfile.TemporaryDirectory() as tmp:
        path = _bulk_file(info, rng, Path(tmp) / "bidders.xlsx")
        with clock.pinned(TODAY):
            queued = check_batch_submit(
                actor=officer, department=ggzy, domain_code="ZBTB", matter="基准：10000 家投标人",
                path=path, file_name="bidders.xlsx",
            )  # fmt: skip
            begun = time.perf_counter()
            batch = check_batch_run(batch_id=queued.pk)
            bulk_seconds = time.perf_counter() - begun
    if batch is None or batch.status != "done":
        raise SystemExit(f"批量核查未完成：{batch.failure_reason if batch else '未运行'}")
    stdout.write(
        json.dumps(
            {
                **{
                    k: info[k]
                    for k in (
                        "entries",
                        "records",
                        "hit_usccs",
                        "miss_usccs",
                        "names",
                        "person_ids",
                    )
                },
                "secret": secret,
                "load_seconds": load_seconds,
                "bulk_seconds": bulk_seconds,
                "bulk_rows": batch.rows,
                "bulk_hit_rows": batch.hit_rows,
                "persons": len(persons),
                "vendor": connection.vendor,
            },
            ensure_ascii=False,
        )
    )


# -- the parent: server and HTTP driver ----------------------------------------------------


def run(
    *, stdout, subjects: int, database: str, seconds: float, seed: int, child: str, **_
) -> None:
    if child == "load":
        _child_load(subjects, seed, stdout)
        return
    with search.server_environment("check", database, TODAY) as env:
        _run(stdout, env, subjects, seconds, seed)


def _run(stdout, env, subjects, seconds, seed) -> None:
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    stdout.write(f"载入 {subjects:,} 个主体、名单条目和记录（{engine}）……")
    load = subprocess.run(
        [sys.executable, "-m", "xinyong", "bench", "check", "--child", "load",
         "--subjects", str(subjects), "--seed", str(seed)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if load.returncode != 0:
        stdout.write(load.stdout[-3000:] + load.stderr[-5000:])
        raise SystemExit("载入子进程失败")
    info = json.loads(load.stdout.strip().splitlines()[-1])
    stdout.write(
        f"  主体 {subjects:,}，名单条目 {info['entries']:,}，记录 {info['records']:,}；"
        f"载入 {info['load_seconds']:.1f} s"
    )
    stdout.write(
        f"  批量核查 {info['bulk_rows']:,} 行（命中 {info['bulk_hit_rows']:,} 行）：{info['bulk_seconds']:.2f} s"
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
         "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--backlog", "256", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    rng = random.Random(seed)
    bodies: list[str] = []
    pools = {
        "hit_uscc": [{"uscc": u} for u in info["hit_usccs"]],
        "miss_uscc": [{"uscc": u} for u in info["miss_usccs"]],
        "name": [{"name": n} for n in info["names"]],
        "person": [{"id_number": p} for p in info["person_ids"]],
    }
    for cls, weight in MIX.items():
        if pools[cls]:
            bodies += [
                json.dumps(
                    {**rng.choice(pools[cls]), "domain": "ZBTB", "matter": "基准"},
                    ensure_ascii=False,
                )
                for _ in range(weight * 20)
            ]
    rng.shuffle(bodies)
    workdir = Path(env["XINYONG_DATA_DIR"]).parent
    try:
        _wait_ready(port, server)
        _drive(port, ["/healthz"], 2, workdir, None)
        ceiling = _drive(port, ["/healthz"], seconds, workdir, None)
        _drive(port, bodies, 2, workdir, info["secret"])
        checks = _drive(port, bodies, seconds, workdir, info["secret"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stdout.write(
        f"机器：{os.cpu_count()} 核；数据库：{engine}；gunicorn {WORKERS} 个 worker；并发 {CONCURRENCY}"
    )
    for name, r in (("healthz", ceiling), ("check", checks)):
        stdout.write(
            f"  {name:<8} 请求 {r['count']:>7}  错误 {r['errors']:>4}  {r['rate']:>7.0f} 请求/秒  "
            f"p50 {r['p50']:.1f} ms  p99 {r['p99']:.1f} ms  CPU 被占 {machine.steal_text(r['steal'])}"
        )
    stdout.write(
        f"check req/s={checks['rate']:.0f} p99_ms={checks['p99']:.1f} ceiling={ceiling['rate']:.0f} "
        f"ratio={checks['rate'] / ceiling['rate']:.3f} bulk_s={info['bulk_seconds']:.2f}"
    )


# wrk's script: GET the paths of a file in turn, or, with a token, POST the JSON
# bodies of a file to /api/v1/checks; the summary as one JSON line.
WRK_SCRIPT = """
local lines, counter = {}, 0
local threads = 0
local token = nil
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
function init(args)
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  token = args[2]
  counter = offset or 0
end
function request()
  counter = counter + 1
  local line = lines[(counter % #lines) + 1]
  if token then
    return wrk.format("POST", "/api/v1/checks",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, line)
  end
  return wrk.format("GET", line)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _drive(port: int, lines: list[str], seconds: float, workdir: Path, token: str | None) -> dict:
    """`bench.search._drive` with this script: POST the bodies with the token, or GET the paths."""
    return search._drive(
        port, lines, seconds, workdir, script_text=WRK_SCRIPT, extra=(token,) if token else ()
    )
