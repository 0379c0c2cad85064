"""Realistic 行政处罚 (XZCF) rows for benchmarks and demo data, about 5% invalid.

Deterministic for a seed. Streams: a million rows never sit in memory.
"""

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from xinyong.core.identifiers import uscc_with_checks
from xinyong.ingest.samples import company_name, person_name

HEADER = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1(统一社会信用代码)",
    "法定代表人",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "处罚决定日期",
    "处罚有效期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]

ACTS = [
    ("销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条", "罚款"),
    ("未按规定公示年度报告", "《企业信息公示暂行条例》第十七条", "警告"),
    ("无照经营", "《无证无照经营查处办法》第十三条", "罚款"),
    ("虚假宣传", "《中华人民共和国反不正当竞争法》第二十条", "罚款"),
    ("未取得林木采伐许可证采伐林木", "《中华人民共和国森林法》第七十六条", "罚款"),
    ("超限运输", "《公路安全保护条例》第六十四条", "罚款"),
    ("安全生产责任制不落实", "《中华人民共和国安全生产法》第九十七条", "罚款"),
    ("价格欺诈", "《价格违法行为行政处罚规定》第七条", "没收违法所得"),
    ("拒不执行停产整顿决定", "《中华人民共和国安全生产法》第一百一十三条", "责令停产停业"),
    ("未经许可从事经营活动", "《中华人民共和国行政许可法》第八十一条", "通报批评"),
]
AGENCIES = [
    ("林区市场监督管理局", "scjg"),
    ("国家税务总局神农架林区税务局", "shuiwu"),
    ("林区交通运输局", "jiaotong"),
    ("林区应急管理局", "yingji"),
    ("神农架林区生态环境局", "huanbao"),
]


def _code(rng: random.Random, prefix: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice("0123456789") for _ in range(6)) + "".join(
        rng.choice(alphabet) for _ in range(2)
    )
    return uscc_with_checks(prefix + body)


def agency_codes(seed: int = 1) -> dict[str, str]:
    rng = random.Random(f"agencies-{seed}")
    return {name: _code(rng, "11429021") for name, _short in AGENCIES}


def company(rng: random.Random) -> tuple[str, str]:
    name, prefix = company_name(rng)
    region = rng.choice(["429021", "420300", "420500", "420100"])
    return name, _code(rng, prefix + region)


def rows(
    n: int, *, seed: int = 1, invalid_share: float = 0.05, today: dt.date | None = None
) -> Iterator[list[str]]:
    """N XZCF rows (without the header). About `invalid_share` of them carry one
    realistic mistake: a wrong check character, an impossible date, a missing
    required value, a non-numeric amount or a future decision date."""
    rng = random.Random(seed)
    today = today or dt.date(2025, 12, 31)
    agencies = agency_codes(seed)
    start = dt.date(2019, 1, 1)
    span = (today - start).days
    # About one subject for every three penalties, so subjects repeat.
    pool_size = max(10, n // 3)
    pool_seed = rng.random()
    for i in range(n):
        subject_rng = random.Random(f"{pool_seed}-{rng.randrange(pool_size)}")
        name, code = company(subject_rng)
        kind = "个体工商户" if code.startswith("92") else "法人及非法人组织"
        act, basis, category = ACTS[rng.randrange(len(ACTS))]
        decided = start + dt.timedelta(days=rng.randrange(span))
        agency = AGENCIES[rng.randrange(len(AGENCIES))][0]
        fine = f"{rng.randrange(1, 5000) / 100:.2f}" if category == "罚款" else ""
        confiscated = f"{rng.randrange(1, 2000) / 100:.2f}" if category == "没收违法所得" else ""
        row = [
            name,
            kind,
            code,
            person_name(subject_rng),
            f"神{agency[2:4]}罚〔{decided.year}〕{i + 1}号",
            act,
            f"经查，当事人{act}，违法事实清楚。",
            basis,
            category,
            f"{category}{'人民币' + fine + '万元' if fine else ''}",
            fine,
            confiscated,
            decided.strftime(rng.choice(("%Y/%m/%d", "%Y-%m-%d", "%Y%m%d"))),
            (decided + dt.timedelta(days=365)).strftime("%Y/%m/%d"),
            agency,
            agencies[agency],
            agency,
            agencies[agency],
            "",
        ]
        if rng.random() < invalid_share:
            _spoil(rng, row, today)
        yield row


def _spoil(rng: random.Random, row: list[str], today: dt.date) -> None:
    mistake = rng.randrange(5)
    if mistake == 0:  # wrong check character
        code = row[2]
        row[2] = code[:17] + ("0" if code[17] != "0" else "1")
    elif mistake == 1:  # impossible date
        row[12] = "2023/02/30"
    elif mistake == 2:  # missing required value
        row[5] = ""
    elif mistake == 3 and row[10]:  # non-numeric amount
        row[10] = "五千元"
    else:  # decision in the future
        row[12] = (today + dt.timedelta(days=30)).strftime("%Y/%m/%d")


def write_csv(path: Path, n: int, *, seed: int = 1, encoding: str = "utf-8", today=None) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(n, seed=seed, today=today))
    return path


def write_xlsx(path: Path, n: int, *, seed: int = 1, today=None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("行政处罚")
    sheet.append(HEADER)
    for row in rows(n, seed=seed, today=today):
        sheet.append(row)
    workbook.save(path)
    return path
