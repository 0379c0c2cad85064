"""Demo oversight: six months of 行政处罚 submitted month by month by three
departments (some late, some published late, a few rows rejected), the
market regulator's 权力清单, each month's figures stored, the last month's
通报 generated (HTML and PDF) and published on the portal, so the staff home,
the 通报 and a year's assessment have something to show. Idempotent: nothing
is added once a 通报 exists."""

import datetime as dt
import io
import random
import tempfile
from pathlib import Path

from django.core.management.base import OutputWrapper
from openpyxl import Workbook

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock, workdays
from xinyong.core.identifiers import uscc_with_checks
from xinyong.ingest.samples import company_name
from xinyong.ingest.services import batch_submit_file
from xinyong.orgs.models import Department, User
from xinyong.oversight.campaigns import demo as campaigns_demo
from xinyong.oversight.models import FiguresRelease, MonthlyFigures, MonthlyReport
from xinyong.oversight.periods import Month
from xinyong.oversight.scoring import compute_month, scheme_current
from xinyong.oversight.services.figures import figures_publish
from xinyong.oversight.services.powers import powers_import
from xinyong.oversight.services.reports import report_generate, report_publish

# Department → (abbreviation in document numbers, late share, rows a month).
DEPARTMENTS = {"scjg": ("市监", 0.05, 12), "jiaotong": ("交", 0.25, 8), "huanbao": ("环", 0.5, 6)}
MONTHS = 6
VIOLATIONS = [
    ("销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条"),
    ("未取得营业执照从事经营活动（无照经营）", "《无证无照经营查处办法》第十三条"),
    ("超限运输", "《公路安全保护条例》第六十四条"),
    ("未按规定排放污染物", "《中华人民共和国大气污染防治法》第九十九条"),
]
POWERS = [
    (
        "330217001000",
        "对销售不符合食品安全标准食品的处罚",
        "行政处罚",
        "食品安全法第一百二十四条",
        "食品安全",
    ),
    ("330217002000", "对无照经营的处罚", "行政处罚", "无证无照经营查处办法第十三条", "无照经营"),
    ("330217003000", "对销售假冒伪劣商品的处罚", "行政处罚", "产品质量法第五十条", "假冒伪劣"),
    ("330117001000", "食品经营许可", "行政许可", "食品安全法第三十五条", ""),
]


def _powers_file() -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has one sheet
        raise RuntimeError("no sheet")
    sheet.append(["权力编码", "权力名称", "权力类型", "设定依据", "匹配关键词"])
    for row in POWERS:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def _rows(
    rng: random.Random, department: Department, abbr: str, late_share: float, count: int,
    submitted: dt.date, serial: int,
) -> list[dict[str, str]]:  # fmt: skip
    rows = []
    for i in range(count):
        # On time: decided within the last 5 days; late: 8 to 20 days before.
        back = rng.randrange(8, 21) if rng.random() < late_share else rng.randrange(0, 6)
        decided = submitted - dt.timedelta(days=back)
        violation, basis = rng.choice(VIOLATIONS)
        name, prefix = company_name(rng, ["有限公司", "有限责任公司"])
        n = serial + i
        rows.append(
            {
                "行政相对人名称": name,
                "行政相对人类别": "法人及非法人组织",
                "行政相对人代码_1(统一社会信用代码)": uscc_with_checks(
                    f"{prefix}429021{rng.randrange(10**8):08d}"
                ),
                "行政处罚决定书文号": f"神{abbr}罚〔{decided.year}〕D{n}号",
                "违法行为类型": violation,
                "违法事实": "经查，当事人存在上述违法行为。",
                "处罚依据": basis,
                "处罚类别": "罚款",
                "处罚内容": "罚款人民币0.5万元",
                "罚款金额（万元）": "0.5",
                "处罚决定日期": "" if rng.random() < 0.03 else decided.strftime("%Y/%m/%d"),
                "处罚机关": department.name,
                "处罚机关统一社会信用代码": department.uscc or "",
                "数据来源单位": department.name,
                "数据来源单位统一社会信用代码": department.uscc or "",
            }
        )
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _publish_figures(admin: User) -> int:
    """Every stored month's figures on the portal (/shuju/), as the credit
    office would; a month already decided on is left as it is."""
    decided = set(FiguresRelease.objects.values_list("month", flat=True))
    months = sorted(set(MonthlyFigures.objects.values_list("month", flat=True)) - decided)
    for day in months:
        figures_publish(actor=admin, month=Month.of(day), publish=True)
    return len(months)


def load(*, seed: int, stdout: OutputWrapper) -> None:
    campaigns_demo.load(seed=seed, stdout=stdout)
    if MonthlyReport.objects.exists():
        admin = User.objects.filter(username="admin").first()
        published = _publish_figures(admin) if admin is not None else 0
        stdout.write(f"考核通报演示数据已存在，跳过（公开月度数据 {published} 个月）。")
        return
    admin = User.objects.filter(username="admin").first()
    item = CatalogItem.objects.filter(code="XZCF").first()
    departments = {d.short_code: d for d in Department.objects.filter(short_code__in=DEPARTMENTS)}
    if admin is None or item is None or not departments:
        return
    rng = random.Random(f"oversight-{seed}")  # noqa: S311 - reproducible demo data, not secrets
    if "scjg" in departments:
        powers_import(actor=admin, department=departments["scjg"], handle=_powers_file())
    last = Month.of(clock.today()).previous()
    months = last.back(MONTHS)
    with tempfile.TemporaryDirectory(prefix="xinyong-oversight-") as tmp:
        for number, month in enumerate(months):
            for code, department in departments.items():
                item.departments.add(department)
                abbr, late_share, count = DEPARTMENTS[code]
                # Submitted on the month's 10th working day (the day before the month not counted).
                day = workdays.add_workdays(month.start - dt.timedelta(days=1), 10).date
                rows = _rows(rng, department, abbr, late_share, count, day, 1000 * (number + 1))
                with clock.pinned(day):
                    batch_submit_file(
                        department=department,
                        item=item,
                        path=_write(Path(tmp) / f"{code}-{month}.csv", rows),
                    )
    scheme = scheme_current()
    now = clock.now()
    for month in months[:-1]:
        for fig in compute_month(month, scheme=scheme):
            MonthlyFigures.objects.update_or_create(
                month=month.start,
                department_id=fig.department_id,
                defaults={
                    "values": {
                        c: {"numerator": t.numerator, "denominator": t.denominator}
                        for c, t in fig.tallies.items()
                    },
                    "score": fig.score,
                    "scheme_version": scheme.version,
                    "computed_at": now,
                },
            )
    report = report_generate(month=last)
    report_publish(actor=admin, report=report, publish=True)
    published = _publish_figures(admin)
    stdout.write(
        f"考核通报演示数据：{MONTHS} 个月的报送与指标，{last.label}通报已生成并在门户公开"
        f"（/tongbao/），{published} 个月的月度数据已公开（/shuju/），"
        f"年度考核见 /staff/oversight/assessment/{last.year}/。"
    )
