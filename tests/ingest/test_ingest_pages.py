"""The clerk's pages: upload, watch the batch, read and download its errors."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from openpyxl import load_workbook

from support.ingest_files import penalty_row, write_csv
from support.tasks import run_ready_tasks
from xinyong.ingest.models import Batch
from xinyong.ingest.services import batch_submit_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


def upload(client, item, path, *, work=True):
    """Upload as a clerk; the batch is queued when the request's transaction
    commits, then (`work`) a worker runs its task, here in this process."""
    with open(path, "rb") as handle, TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/staff/ingest/upload/",
            {"item": item.pk, "file": SimpleUploadedFile(path.name, handle.read())},
        )
    if work:
        run_ready_tasks()
    return response


def test_clerk_uploads_and_sees_errors(tmp_path, client_as, clerk, xzcf):
    path = write_csv(
        tmp_path / "九月.csv", [penalty_row(1), penalty_row(2, **{"罚款金额（万元）": "五千元"})]
    )
    client = client_as(clerk)
    response = upload(client, xzcf, path)
    batch = Batch.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/staff/ingest/batches/{batch.pk}/"
    )
    page = client.get(response["Location"]).content.decode()
    assert "第3行" in page and "不是数值" in page and "五千元" in page

    report = client.get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx")
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(report.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2] == "错误原因"
    assert rows[1][rows[0].index("罚款金额（万元）")] == "五千元"
    assert "不是数值" in rows[1][-2]


def test_error_report_fixed_and_uploaded_again(tmp_path, client_as, clerk, xzcf, department):
    bad = penalty_row(2, **{"罚款金额（万元）": "五千元"})
    first = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", [penalty_row(1), bad])
    )
    client = client_as(clerk)
    report = client.get(f"/staff/ingest/batches/{first.pk}/errors.xlsx").content
    workbook = load_workbook(io.BytesIO(report))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("罚款金额（万元）") + 1, value="0.5")
    fixed = tmp_path / "fixed.xlsx"
    workbook.save(fixed)
    again = batch_submit_file(department=department, item=xzcf, path=fixed)
    assert (again.received, again.accepted, again.created) == (1, 1, 1)


def test_upload_of_a_non_spreadsheet_shows_reason(tmp_path, client_as, clerk, xzcf):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    response = upload(client_as(clerk), xzcf, path)
    page = client_as(clerk).get(response["Location"]).content.decode()
    assert "失败" in page and "不是 Excel" in page


def test_template_has_headers_required_marks_and_dropdowns(client_as, clerk, xzcf):
    response = client_as(clerk).get("/staff/ingest/items/XZCF/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "*处罚决定日期" in header and "*行政处罚决定书文号" in header
    assert any(v.type == "list" for v in sheet.data_validations.dataValidation)
    lists = workbook["代码表"]
    values = {c.value for c in lists[lists.max_column > 0 and "A"] if c.value}
    assert values


def test_clerk_cannot_see_other_departments_batch(
    tmp_path, client_as, other_clerk, department, xzcf
):
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", [penalty_row(1)])
    )
    client = client_as(other_clerk)
    assert client.get(f"/staff/ingest/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx").status_code == 404
    assert client.get(f"/staff/ingest/batches/{batch.pk}/original").status_code == 404
    assert "批次" in client.get("/staff/ingest/").content.decode()
    assert f"#{batch.pk}" not in client.get("/staff/ingest/").content.decode()


def test_clerk_cannot_upload_to_item_not_owned(tmp_path, client_as, other_clerk, xzcf):
    path = write_csv(tmp_path / "a.csv", [penalty_row(1)])
    response = upload(client_as(other_clerk), xzcf, path)
    assert response.status_code == 200  # the form refuses the choice
    assert Batch.objects.count() == 0


def test_credit_office_sees_all_batches_and_late(tmp_path, client_as, admin_user, department, xzcf):
    batch_submit_file(
        department=department,
        item=xzcf,
        path=write_csv(tmp_path / "a.csv", [penalty_row(1, **{"处罚决定日期": "2025/09/01"})]),
    )
    page = client_as(admin_user).get("/staff/ingest/").content.decode()
    assert department.name in page
    late = client_as(admin_user).get("/staff/ingest/late/").content.decode()
    assert "神市监罚〔2025〕1号" in late


def test_record_history_visible_to_department(
    tmp_path, client_as, clerk, other_clerk, department, xzcf
):
    from xinyong.records.models import Record

    batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", [penalty_row(1)])
    )
    batch_submit_file(
        department=department,
        item=xzcf,
        path=write_csv(tmp_path / "b.csv", [penalty_row(1, **{"罚款金额（万元）": "0.7"})]),
    )
    record = Record.objects.get()
    page = client_as(clerk).get(f"/staff/records/{record.pk}/").content.decode()
    assert "第 2 版" in page and "“0.5” → “0.7”" in page
    assert client_as(other_clerk).get(f"/staff/records/{record.pk}/").status_code == 404


def test_item_template_only_for_the_departments_own_items(
    client_as, clerk, other_clerk, admin_user, xzcf
):
    """Issue 12.8: another department's item template is "not found"."""
    assert client_as(other_clerk).get("/staff/ingest/items/XZCF/template.xlsx").status_code == 404
    assert client_as(clerk).get("/staff/ingest/items/XZCF/template.xlsx").status_code == 200
    assert client_as(admin_user).get("/staff/ingest/items/XZCF/template.xlsx").status_code == 200
