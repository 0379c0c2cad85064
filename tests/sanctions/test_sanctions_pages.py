"""Staff pages: a single check, a bulk check of bidders (real xlsx and csv files), feedback."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sanctions.factories import COMPANY_USCC
from subjects.factories import SubjectFactory
from support.tasks import run_ready_tasks
from xinyong.core import clock
from xinyong.core.models import AuditLog
from xinyong.sanctions.models import Check, CheckBatch, Feedback

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_file(rows, header=("序号", "投标人名称", "统一社会信用代码")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if str(cell.value or "").startswith("="):
                cell.data_type = "s"  # a bidder's name typed so, not a formula of the input
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("bidders.xlsx", buffer.getvalue(), content_type=XLSX)


def test_single_check_page(client_as, officer, company, company_on_sxbzx):
    client = client_as(officer)
    assert client.get("/staff/checks/").status_code == 200
    response = client.post(
        "/staff/checks/", {"query": COMPANY_USCC, "domain": "ZFCG", "matter": "采购项目 A"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "失信被执行人名单" in page and "限制参加政府采购活动" in page and "强制性" in page
    assert Check.objects.get().channel == "page"


def test_single_check_page_refusals(client_as, officer):
    client = client_as(officer)
    response = client.post(
        "/staff/checks/", {"query": "91110000600037341X", "domain": "ZFCG", "matter": "x"}
    )
    assert response.status_code == 400 and "校验" in response.content.decode()


def test_bulk_check_answers_with_a_result_sheet(
    client_as, officer, company, company_on_sxbzx, django_capture_on_commit_callbacks
):
    SubjectFactory(name="神农架清白建筑有限公司", uscc="91350200776049653A")
    upload = xlsx_file(
        [
            (1, "神农架林区某某建材有限公司", ""),  # by name variant: needs review
            (2, "神农架清白建筑有限公司", "91350200776049653A"),  # clean
            (3, '=HYPERLINK("http://x","点我")', ""),  # formula-like text
            (4, "某某建材", COMPANY_USCC + "0"),  # malformed code and a fragment
            (5, "", COMPANY_USCC),
        ]
    )
    client = client_as(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/checks/bulk/",
            {"bulk-file": upload, "bulk-domain": "ZBTB", "bulk-matter": "招标 SNJ-7"},
        )
    # The upload answers at once: queued, nothing checked yet, a page that reloads itself.
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = CheckBatch.objects.get()
    assert batch.status == "queued" and not Check.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "已排队" in page
    assert "<progress" in page and "bulk-download" not in page
    assert client.get(f"/staff/checks/bulk/{batch.pk}/result.xlsx").status_code == 404
    # A worker checks it.
    assert run_ready_tasks() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.hit_rows) == ("done", 5, 2)
    assert Check.objects.filter(batch=batch).count() == 5
    assert AuditLog.objects.filter(action="check_batch.run", object_id=str(batch.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "共 5 行，命中 2 行" in page and "http-equiv" not in page
    result = client.get(f"/staff/checks/bulk/{batch.pk}/result.xlsx")
    assert result.status_code == 200
    sheet = load_workbook(io.BytesIO(result.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "行号" and rows[0][3] == "核查结果"
    by_row = {r[0]: r for r in rows[1:]}
    assert by_row[2][3] == "命中（需人工核实）" and "失信被执行人" in by_row[2][5]
    assert "限制参与工程建设项目招标投标" in by_row[2][10]
    assert by_row[3][3] == "未命中"
    assert by_row[6][3] == "命中" and by_row[6][4] == "统一社会信用代码"
    assert "统一社会信用代码" in by_row[5][13] and by_row[5][3] == "未命中"
    formula_cell = next(
        c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith("=HYPERLINK")
    )
    assert formula_cell.data_type == "s"  # stored as text, never a formula,
    assert formula_cell.quotePrefix  # and stays text when edited


def test_bulk_over_the_limit_is_refused_with_the_limit(client_as, officer, tmp_path):
    path = tmp_path / "bidders.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["投标人名称", "统一社会信用代码"])
        for n in range(10_001):
            writer.writerow([f"神农架投标{n}有限公司", ""])
    upload = SimpleUploadedFile("bidders.csv", path.read_bytes(), content_type="text/csv")
    response = client_as(officer).post(
        "/staff/checks/bulk/", {"bulk-file": upload, "bulk-domain": "ZBTB", "bulk-matter": "招标"}
    )
    assert response.status_code == 400
    assert "最多 10,000 行" in response.content.decode()
    assert not CheckBatch.objects.exists() and not Check.objects.exists()


def test_bulk_without_a_header_is_refused(client_as, officer):
    upload = xlsx_file([("a", "b")], header=("甲", "乙"))
    response = client_as(officer).post(
        "/staff/checks/bulk/", {"bulk-file": upload, "bulk-domain": "ZBTB", "bulk-matter": "招标"}
    )
    assert response.status_code == 400 and "未找到表头" in response.content.decode()


def test_feedback_page(client_as, officer, company, company_on_sxbzx):
    client = client_as(officer)
    client.post("/staff/checks/", {"query": COMPANY_USCC, "domain": "ZFCG", "matter": "采购"})
    check = Check.objects.get()
    page = client.get("/staff/checks/feedback/").content.decode()
    assert f"/staff/checks/{check.pk}/" in page
    measure_id = check.hits[0]["measures"][0]["id"]
    response = client.post(
        f"/staff/checks/{check.pk}/",
        {
            "applied": "1",
            "measure": measure_id,
            "result": "取消资格",
            "decided_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.get().measure_id == measure_id


def test_another_department_gets_404(client_as, other_clerk, officer, company, company_on_sxbzx):
    client_as(officer).post(
        "/staff/checks/", {"query": COMPANY_USCC, "domain": "ZFCG", "matter": "采购"}
    )
    check = Check.objects.get()
    assert client_as(other_clerk).get(f"/staff/checks/{check.pk}/").status_code == 404
