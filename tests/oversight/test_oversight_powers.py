"""The 权力清单: xlsx import with row-level Chinese errors, decisions per power
against last year, idle powers flagged, and the coverage indicator."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from oversight.conftest import decided
from xinyong.core.errors import ApplicationError
from xinyong.oversight import scoring
from xinyong.oversight.models import Power
from xinyong.oversight.periods import Month
from xinyong.oversight.selectors import power_usage
from xinyong.oversight.services.powers import powers_import

HEADER = ["权力编码", "权力名称", "权力类型", "设定依据", "匹配关键词"]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "powers.xlsx"
    return data


GOOD = [
    [
        "CF-001",
        "对销售不符合食品安全标准食品的处罚",
        "行政处罚",
        "食品安全法第一百二十四条",
        "食品安全",
    ],
    ["CF-002", "对无照经营的处罚", "行政处罚", "无证无照经营查处办法", "无照经营"],
    ["XK-001", "食品经营许可", "行政许可", "食品安全法第三十五条", ""],
]


def test_import_reports_every_bad_row_in_chinese_and_keeps_nothing(db, department, clerk):
    rows = [
        GOOD[0],
        ["", "缺编码", "行政处罚", "", ""],
        ["CF-003", "类型错误", "行政强制", "", ""],
        ["CF-001", "重复编码", "行政处罚", "", ""],
    ]
    with pytest.raises(ApplicationError) as caught:
        powers_import(actor=clerk, department=department, handle=xlsx(rows))
    assert caught.value.message == "权力清单有 3 处错误，未导入"
    errors = {(e["row"], e["column"]): e["message"] for e in caught.value.details["rows"]}
    assert errors == {
        (3, "权力编码"): "权力编码不能为空",
        (4, "权力类型"): "权力类型应为“行政许可”或“行政处罚”：行政强制",
        (5, "权力编码"): "权力编码 CF-001 与第 2 行重复",
    }
    assert not Power.objects.exists()
    with pytest.raises(ApplicationError, match="表头缺少必需的列：权力类型"):
        powers_import(
            actor=clerk, department=department, handle=xlsx([], header=["权力编码", "权力名称"])
        )
    with pytest.raises(ApplicationError, match="无法读取该文件"):
        powers_import(actor=clerk, department=department, handle=io.BytesIO(b"not a workbook"))


def test_another_department_cannot_import(db, department, other_clerk):
    from xinyong.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        powers_import(actor=other_clerk, department=department, handle=xlsx(GOOD))
    assert not Power.objects.exists()


def test_usage_against_last_year_and_idle_powers(db, department, xzcf, clerk, submit, pin_today):
    result = powers_import(actor=clerk, department=department, handle=xlsx(GOOD))
    assert (result.created, result.updated, result.deactivated) == (3, 0, 0)
    # Two food-safety penalties in 2024 (one in the Jan–Oct span), one in 2025; no 无照经营 ever.
    submit(department, xzcf, [decided(1, "2024-03-01"), decided(2, "2024-11-20")], on="2024-11-21")
    submit(department, xzcf, [decided(3, "2025-10-10")], on="2025-10-13")
    pin_today(dt.date(2025, 10, 31))
    rows = {r.power.code: r for r in power_usage(user=clerk, department=department)}
    food, unlicensed, licence = rows["CF-001"], rows["CF-002"], rows["XK-001"]
    assert (food.this_year, food.last_year, food.last_decided, food.idle) == (
        1,
        1,
        dt.date(2025, 10, 10),
        False,
    )
    assert (unlicensed.this_year, unlicensed.idle) == (0, True)
    assert licence.idle  # no licence decisions submitted at all
    (fig,) = scoring.compute_month(Month(2025, 10), department_ids=[department.pk])
    assert fig.tally("power_coverage") == (1, 3)
    # A new list replaces the old: codes missing from it are made inactive.
    again = powers_import(actor=clerk, department=department, handle=xlsx(GOOD[:1]))
    assert (again.created, again.updated, again.deactivated) == (0, 1, 2)
    (fig,) = scoring.compute_month(Month(2025, 10), department_ids=[department.pk])
    assert fig.tally("power_coverage") == (1, 1)


def test_powers_page_shows_row_errors_and_flags(db, department, clerk, client_as):
    client = client_as(clerk)
    bad = xlsx([["CF-9", "", "行政处罚", "", ""]])
    page = client.post("/staff/oversight/powers/scjg/", {"file": bad})
    assert page.status_code == 400
    text = page.content.decode()
    assert "权力清单有 1 处错误，未导入" in text and "权力名称不能为空" in text
    assert client.post("/staff/oversight/powers/scjg/", {"file": xlsx(GOOD)}).status_code == 302
    text = client.get("/staff/oversight/powers/scjg/").content.decode()
    assert "对无照经营的处罚" in text and "长期无决定" in text
