"""Hostile input on the oversight pages: months and years no date can hold,
files that are no spreadsheet, rows too long for their column. Each answers
a 4xx with a Chinese message naming what is wrong, never a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from support.xlsx import hand_xlsx
from xinyong.core.identifiers import uscc_with_checks
from xinyong.oversight.campaigns.services import campaign_create
from xinyong.oversight.models import CampaignTarget, Power

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("month", ["9999-12", "9999-01"])
def test_indicators_of_a_month_past_the_calendar_are_refused(month, admin_user, client_as):
    response = client_as(admin_user).get("/staff/oversight/", {"month": month})
    assert response.status_code == 400
    assert f"月份超出范围（2000 年至 9998 年）：{month}" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "1999", "99999", "99999999999999999999"])
def test_assessment_of_a_year_no_date_holds_is_not_found(year, admin_user, department, client_as):
    client = client_as(admin_user)
    for url in (
        f"/staff/oversight/assessment/{year}/",
        f"/staff/oversight/assessment/{year}/scjg/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "考核年度应在 2000 年至 9998 年之间" in response.content.decode()


# -- 权力清单: the xlsx upload ----------------------------------------------------------

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>权力编码</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>权力名称</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>权力类型</t></is></c></row>'
)


def _powers(client, path):
    upload = SimpleUploadedFile("powers.xlsx", path.read_bytes())
    return client.post("/staff/oversight/powers/scjg/", {"file": upload})


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        # The sheet's XML cut off: openpyxl raised ParseError out of the view (a 500); the
        # reader says the file is cut rather than import the rows before the cut.
        pytest.param(
            SHEET_HEAD + "<sheetData>" + HEADER_ROW + "<row>",
            "表格文件不完整：工作表在第 1 行之后中断",
            id="broken-xml",
        ),
        # A sheet declaring every cell of Excel: openpyxl padded each row to 16,384
        # cells and walked a million empty rows (seconds of work for a 2 KB file).
        pytest.param(
            SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>' + HEADER_ROW
            + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData></worksheet>",
            "无法读取该文件，请上传 xlsx 格式的权力清单（表格超过",
            id="huge-dimension",
        ),
    ],
)  # fmt: skip
def test_powers_file_that_cannot_be_read_is_refused_in_chinese(
    sheet, message, department, clerk, client_as, tmp_path
):
    response = _powers(client_as(clerk), hand_xlsx(tmp_path / "p.xlsx", sheet))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Power.objects.exists()


def test_powers_csv_is_refused_as_not_xlsx(department, clerk, client_as, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("权力编码,权力名称,权力类型\nCF-1,处罚,行政处罚\n", encoding="utf-8")
    response = _powers(client_as(clerk), path)
    assert response.status_code == 400
    assert "请上传 xlsx 格式的权力清单" in response.content.decode()
    assert not Power.objects.exists()


# -- 专项治理: targets -----------------------------------------------------------------


@pytest.fixture
def campaign(department, admin_user, pin_today):
    pin_today(dt.date(2025, 9, 1))
    return campaign_create(
        actor=admin_user,
        name="拖欠工资专项治理",
        basis="根治欠薪冬季攻坚行动通知",
        lead_department=department,
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        # Longer than the column: SQLite kept it whole, PostgreSQL answered a 500.
        ("长" * 201, "主体名称不能超过 200 个字"),
        # PostgreSQL refuses NUL in any text: a 500 there.
        ("示范\x00企业", "主体名称：第 3 个字符是不可见的控制字符（U+0000），请删除"),
    ],
)
def test_upload_refuses_a_name_the_column_cannot_hold(name, message, campaign, clerk, client_as):
    # The NUL is past the first 4 KB, where the file's kind is sniffed.
    rows = "主体名称,证件号码\n" + "".join(
        f"示范企业{n},{uscc_with_checks(f'91429000{n:08d}')}\n" for n in range(1, 300)
    )
    rows += f"{name},{uscc_with_checks('9142900099999999')}\n"
    upload = SimpleUploadedFile("targets.csv", rows.encode())
    response = client_as(clerk).post(
        f"/staff/oversight/campaigns/{campaign.pk}/upload/", {"file": upload}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "文件有 1 处错误，未导入" in text
    assert f"<td>301</td><td>主体名称</td><td>{message}</td>" in text
    assert not CampaignTarget.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/staff/oversight/",
        "/staff/oversight/reports/",
        "/staff/oversight/assessment/2025/",
        "/staff/integrity/government/",
        "/staff/integrity/people/",
    ],
)
def test_a_post_to_a_page_that_only_shows_is_405_in_chinese(path, admin_user, client_as):
    response = client_as(admin_user).post(path, {"month": "2025-10"})
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "该页面不支持 POST 请求" in response.content.decode()
