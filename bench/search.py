"""Portal speed: subject search and subject pages over HTTP on a real server.

`xinyong bench search --subjects N [--database URL] [--seconds S]` loads N
subjects (bulk SQL, about 5% natural persons, 10% with a legacy code) and
public records for some of them into a fresh database (a temporary SQLite
file, or a new database on the PostgreSQL server named by --database,
dropped afterwards) in a child process, starts gunicorn with 2 workers on a
free 127.0.0.1 port, and drives it at concurrency 16 with wrk (in C: a
Python client would take a good part of the two cores from the server it
measures): a trivial Django view (`/healthz`, the ceiling), search (names of
3+ characters, 2-character queries, exact names, USCCs, legacy codes and a
few very common words) and subject pages. It prints requests/s, p50/p99 per
scenario and per query class, the ratio to the ceiling, and the query plans.
"""

import contextlib
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

from bench import machine

TODAY = "2026-01-05"
CONCURRENCY = 16
WORKERS = 2
# The search scenario's mix of query classes, in percent.
SEARCH_MIX = {"name3+": 40, "name2": 15, "exact": 15, "uscc": 15, "legacy": 10, "common": 5}

PLACES = [
    "神农架",
    "松柏",
    "阳日",
    "木鱼",
    "红坪",
    "新华",
    "宋洛",
    "九湖",
    "下谷",
    "大九湖",
    "官门山",
    "天燕",
]
# Two-character words, combined pairwise: about 90,000 different middles.
WORDS = (
    "林海 山泉 天成 华康 鑫源 金叶 绿野 神农 百草 云峰 恒通 顺达 青山 碧水 和美 兴旺 盛世 永安 "
    "长青 福瑞 祥和 宏图 博远 嘉禾 锦绣 瑞丰 聚贤 汇通 东方 南山 北斗 西岭 中天 龙腾 凤鸣 华夏 "
    "泰和 安康 富民 惠农 利民 诚信 守正 创新 卓越 精诚 同心 众联 合力 远航 启航 腾飞 宏达 鼎盛 "
    "天和 地利 人和 万家 千禧 百川 大成 小康 新星 明珠 金山 银河 宝丰 玉泉 翠竹 松涛 梅园 兰亭 "
    "菊香 荷塘 桃源 李白 杏林 枫叶 柏林 杉木 竹海 茶香 蜂蜜 药王 灵芝 香菇 木耳 核桃 板栗 猕猴 "
    "云雾 雪峰 冰川 温泉 瀑布 溪流 湖光 山色 晨曦 晚霞 星辰 日月 乾坤 太和 中和 保和 永和 协和 "
    "众鑫 恒昌 隆兴 裕丰 昌盛 德润 仁和 义诚 礼贤 智远 信达 忠信 孝和 悦来 喜乐 福满 禄源 寿康 "
    "春晖 夏荷 秋实 冬青 东升 西就 南华 北辰 上善 若水 厚德 载物 自强 不息 博学 笃行 明德 至善"
).split()
TRADES = [
    "商贸",
    "旅游开发",
    "农业科技",
    "建筑工程",
    "餐饮管理",
    "中药材",
    "酒店管理",
    "运输",
    "茶业",
    "蜂业",
    "电子商务",
    "生态农业",
]
FORMS = ["有限公司", "有限责任公司", "农民专业合作社", "经营部", "股份有限公司", "商店"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
COMMON = ["有限公司", "神农架", "商贸有限公司"]


def add_arguments(parser) -> None:
    parser.add_argument("--subjects", type=int, default=100_000, help="主体数（默认 100000）")
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL 地址，如 postgres://postgres@127.0.0.1/test；默认临时 SQLite",
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="每个场景的测量时长（秒）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", default="", help=_suppress())


def _suppress():
    import argparse

    return argparse.SUPPRESS


# -- the child: load the data, print what the driver needs ---------------------------


def _names(rng: random.Random):
    while True:
        form = rng.choice(FORMS)
        yield (
            f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}{form}",
            form,
        )


def _child_load(subjects: int, seed: int, stdout) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0, interactive=False)
    from xinyong.core.identifiers import registration_number_with_check, uscc_with_checks

    rng = random.Random(seed)
    names = _names(rng)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    rows = []
    legacy: list[tuple[int, str]] = []
    for i in range(1, subjects + 1):
        if rng.random() < 0.05:
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.randint(1, 2))
            )
            rows.append((i, "person", name, name, None, f"p{i}", "4201**********123X", now, now))
            continue
        name, form = next(names)
        kind = "individual_business" if form in ("经营部", "商店") else "legal"
        prefix = {"经营部": "92", "商店": "92", "农民专业合作社": "93"}.get(form, "91")
        uscc = uscc_with_checks(f"{prefix}429021{i:08d}")
        rows.append((i, kind, name, name, uscc, None, "", now, now))
        if rng.random() < 0.10:
            legacy.append((i, registration_number_with_check(f"4290210{i:07d}")))
    columns = "id, kind, name, name_key, uscc, id_digest, id_masked, created_at, updated_at"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY subjects_subject ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.cursor.copy(
                "COPY subjects_subjectidentifier (subject_id, kind, value) FROM STDIN"
            ) as copy:
                for pk, value in legacy:
                    copy.write_row((pk, "registration_number", value))
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
            cursor.executemany(
                "INSERT INTO subjects_subjectidentifier (subject_id, kind, value) VALUES (%s, %s, %s)",
                [(pk, "registration_number", value) for pk, value in legacy],
            )
    load_seconds = time.perf_counter() - started
    with_records = _load_records(rows, rng, now)
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: without it PostgreSQL
        # scans a GIN index through its pending list, several times slower.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    total_seconds = time.perf_counter() - started

    from xinyong.subjects import search

    organisations = [r for r in rows if r[1] != "person"]
    sample = rng.sample(organisations, min(3000, len(organisations)))
    queries: dict[str, list[str]] = {
        "name3+": [],
        "name2": [],
        "exact": [],
        "uscc": [],
        "legacy": [],
    }
    for _pk, _kind, name, *_rest in sample:
        start = rng.randrange(0, max(1, len(name) - 5))
        queries["name3+"].append(name[start : start + rng.randint(3, 6)])
        start = rng.randrange(0, len(name) - 1)
        queries["name2"].append(name[start : start + 2])
        queries["exact"].append(name)
        queries["uscc"].append(_pk_uscc(_rest))
    legacy_sample = rng.sample(legacy, min(1000, len(legacy))) if legacy else []
    queries["legacy"] = [value for _pk, value in legacy_sample]
    queries["common"] = COMMON
    plans = {
        q: search.search_plan(q)
        for q in (queries["name3+"][0], queries["name2"][0], queries["uscc"][0])
    }
    hits = {q: search.search_subjects(q).total for q in plans}
    stdout.write(
        json.dumps(
            {
                "queries": queries,
                "subject_ids": rng.sample(with_records, min(2000, len(with_records))),
                "plans": plans,
                "plan_hits": hits,
                "load_seconds": load_seconds,
                "total_seconds": total_seconds,
                "persons": sum(1 for r in rows if r[1] == "person"),
                "legacy": len(legacy),
                "records": len(with_records) * 2,
                "vendor": connection.vendor,
            },
            ensure_ascii=False,
        )
    )


def _pk_uscc(rest) -> str:
    return rest[1] or ""


def _load_records(rows, rng: random.Random, now) -> list[int]:
    """A licence and a penalty for one organisation in 20, public."""
    from xinyong.catalog.models import CatalogItem
    from xinyong.orgs.models import Department
    from xinyong.records.models import Record

    department, _ = Department.objects.get_or_create(
        short_code="scjg", defaults={"name": "林区市场监督管理局"}
    )
    items = {i.code: i for i in CatalogItem.objects.filter(code__in=["XZXK", "XZCF"])}
    fields = {f.name for f in Record._meta.get_fields()}
    today = dt.date.fromisoformat(TODAY)
    chosen = [r for r in rows if r[1] != "person" and rng.random() < 0.05]
    batch: list[Record] = []
    for n, (pk, _kind, name, _key, uscc, *_rest) in enumerate(chosen):
        decided = today - dt.timedelta(days=rng.randrange(1, 300))
        for code, data in (
            (
                "XZXK",
                {
                    "subject_name": name,
                    "subject_kind": "法人及非法人组织",
                    "subject_uscc": uscc,
                    "doc_number": f"神市监许〔2025〕{n}号",
                    "license_category": "普通",
                    "license_content": "食品经营",
                    "decision_date": decided.isoformat(),
                    "status": "有效",
                },
            ),
            (
                "XZCF",
                {
                    "subject_name": name,
                    "subject_kind": "法人及非法人组织",
                    "subject_uscc": uscc,
                    "doc_number": f"神市监罚〔2025〕{n}号",
                    "penalty_category": "罚款",
                    "penalty_content": "罚款人民币0.5万元",
                    "fine_amount": "0.5",
                    "decision_date": decided.isoformat(),
                },
            ),
        ):
            item = items[code]
            record = Record(
                item=item,
                version_id=item.current_version_id,
                department=department,
                subject_id=pk,
                doc_number=data["doc_number"],
                record_key=data["doc_number"],
                decision_date=decided,
                data=data,
                content_hash=f"{code}{n}",
                submitted_on=decided,
                created_at=now,
                updated_at=now,
            )
            if "published_on" in fields:
                record.published_on = decided
            batch.append(record)
        if len(batch) >= 4000:
            Record.objects.bulk_create(batch)
            batch = []
    Record.objects.bulk_create(batch)
    return [r[0] for r in chosen]


# -- the parent: server and HTTP driver ----------------------------------------------


def run(
    *,
    stdout,
    subjects: int,
    database: str,
    seconds: float,
    seed: int,
    child: str,
    **_,
) -> None:
    if child == "load":
        _child_load(subjects, seed, stdout)
        return
    with server_environment("search", database, TODAY) as env:
        _run(stdout, env, subjects, seconds, seed)


@contextlib.contextmanager
def server_environment(name: str, database: str, today: str, *, wrk: bool = True):
    """The environment of a benchmark's child and server: a temporary data
    directory, the day, and a fresh database (a SQLite file there, or a new
    PostgreSQL database on the server of `database`, dropped afterwards)."""
    if wrk and not shutil.which("wrk"):
        raise SystemExit("需要 wrk（Debian 软件包 wrk）施加负载：./dev xinyong bench … 会自动安装")
    with tempfile.TemporaryDirectory(prefix=f"xinyong-bench-{name}-") as tmp:
        data_dir = Path(tmp) / "data"
        env = dict(os.environ, XINYONG_DATA_DIR=str(data_dir), XINYONG_TODAY=today)
        env.pop("XINYONG_DEBUG", None)
        # The load comes from one address (127.0.0.1): the rate limits stay on, so each
        # request pays the limiter's check as a visitor's does, but with limits no run reaches.
        for variable in ("XINYONG_RATE_SEARCH_PER_MINUTE", "XINYONG_RATE_API_PER_MINUTE"):
            env.setdefault(variable, str(10**12))
        # Persistent connections, as a deployment configures them.
        env["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        dbname = ""
        if database:
            from bench.ingest import _fresh_postgres

            dbname, env["DATABASE_URL"] = _fresh_postgres(database)
        try:
            yield env
        finally:
            if dbname:
                from bench.ingest import _drop_postgres

                _drop_postgres(database, dbname)


def _run(stdout, env, subjects, seconds, seed) -> None:
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    stdout.write(f"载入 {subjects:,} 个主体（{engine}）……")
    load = subprocess.run(
        [sys.executable, "-m", "xinyong", "bench", "search", "--child", "load",
         "--subjects", str(subjects), "--seed", str(seed)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if load.returncode != 0:
        stdout.write(load.stdout + load.stderr)
        raise SystemExit("载入子进程失败")
    info = json.loads(load.stdout.strip().splitlines()[-1])
    stdout.write(
        f"  主体 {subjects:,}（自然人 {info['persons']:,}，带旧代码 {info['legacy']:,}），"
        f"公示记录 {info['records']:,}；主体写入（含索引触发器）{info['load_seconds']:.1f} s，"
        f"总计 {info['total_seconds']:.1f} s"
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
         "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--backlog", "256", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_ready(port, server)
        rng = random.Random(seed)
        search_paths: list[str] = []
        by_class: dict[str, list[str]] = {}
        for cls, values in info["queries"].items():
            # Weights of a realistic mix: mostly names, some codes, few common words.
            weight = SEARCH_MIX[cls]
            paths = ["/search/?q=" + urllib.parse.quote(q) for q in values]
            by_class[cls] = paths
            search_paths += [rng.choice(paths) for _ in range(weight * 20)]
        rng.shuffle(search_paths)
        subject_paths = [f"/subjects/{pk}/" for pk in info["subject_ids"]]
        scenarios = [
            ("healthz", ["/healthz"]),
            ("search", search_paths),
            ("subject", subject_paths),
        ]
        results = {}
        classes = {}
        workdir = Path(env["XINYONG_DATA_DIR"]).parent
        for name, paths in scenarios:
            _drive(port, paths, 2, workdir)  # warm up
            results[name] = _drive(port, paths, seconds, workdir)
        # Each query class alone, at the same concurrency: where the time goes.
        for cls, paths in by_class.items():
            classes[cls] = _drive(port, paths, max(2.0, seconds / 5), workdir)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    ceiling = results["healthz"]["rate"]
    stdout.write("")
    stdout.write(
        f"机器：{os.cpu_count()} 核；数据库：{engine}；主体：{subjects:,}；gunicorn {WORKERS} 个 worker；并发 {CONCURRENCY}"
    )
    stdout.write(
        f"{'场景':<10}{'请求':>8}{'错误':>6}{'请求/秒':>10}{'p50 ms':>9}{'p99 ms':>9}{'占上限':>8}"
        f"{'CPU 被占':>10}"
    )
    for name, r in results.items():
        stdout.write(
            f"{name:<10}{r['count']:>8}{r['errors']:>6}{r['rate']:>10.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
            f"{r['rate'] / ceiling:>8.0%}{machine.steal_text(r['steal']):>10}"
        )
    stdout.write(
        "CPU 被占：测量期间宿主机分给其他虚拟机的 CPU 时间占比（/proc/stat 的 steal），越高数字越低"
    )
    stdout.write("搜索按查询类型（各类单独施压，同一并发）：")
    for cls, r in classes.items():
        stdout.write(
            f"  {cls:<8} 占比 {SEARCH_MIX[cls]:>2}%  {r['rate']:>6.0f} 请求/秒  "
            f"p50 {r['p50']:.1f} ms  p99 {r['p99']:.1f} ms  错误 {r['errors']}  "
            f"CPU 被占 {machine.steal_text(r['steal'])}"
        )
    stdout.write("查询计划（subjects.search.search_plan）：")
    for q, plan in info["plans"].items():
        stdout.write(f"  “{q}”（{info['plan_hits'][q]} 个结果）:")
        for line in plan:
            stdout.write("    " + line)
    s, p = results["search"], results["subject"]
    stdout.write(
        f"search_rps={s['rate']:.0f} search_p50_ms={s['p50']:.1f} search_p99_ms={s['p99']:.1f} "
        f"subject_rps={p['rate']:.0f} subject_p99_ms={p['p99']:.1f} ceiling_rps={ceiling:.0f} "
        f"search_ratio={s['rate'] / ceiling:.3f} search_steal={machine.steal_text(s['steal'])}"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(port: int, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn 未能启动：" + server.stderr.read().decode()[-2000:])
        try:
            status, _ = _get(port, "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn 60 秒内未就绪")


def _get(port: int, path: str) -> tuple[int, int]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


# wrk's script: each connection requests the paths of a file in turn, each
# thread from its own offset; the summary is printed as one JSON line.
WRK_SCRIPT = """
local paths, counter = {}, 0
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = offset or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
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


def _drive(
    port: int,
    paths: list[str],
    seconds: float,
    workdir: Path,
    script_text: str = WRK_SCRIPT,
    extra: tuple[str, ...] = (),
) -> dict:
    """wrk (C, event-driven: it leaves the two cores to the server) holds
    CONCURRENCY connections, each requesting the paths in turn for `seconds`.
    Latency is from sending a request to its last byte, queueing included.
    Another script (`script_text`) may read the lines otherwise, with `extra`
    arguments (`bench check` posts JSON bodies with a token)."""
    before = machine.cpu_times()
    script = workdir / "paths.lua"
    script.write_text(script_text, encoding="utf-8")
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    out = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(CONCURRENCY),
         "--duration", f"{max(1, round(seconds))}s", "--timeout", "10s",
         "--script", str(script), f"http://127.0.0.1:{port}", "--", str(listing), *extra],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    figures = json.loads(line[4:])
    return {
        "steal": machine.steal_share(before, machine.cpu_times()),
        "count": figures["requests"],
        "errors": figures["errors"],
        "rate": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
    }
