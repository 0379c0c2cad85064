"""What the platform writes (error reports, templates) never holds a live
formula, and an error report of any width opens (issue 12, items 4 and 7)."""

import io

import pytest
from openpyxl import load_workbook

from ingest.factories import BatchFactory
from support.ingest_files import penalty_row, write_csv
from xinyong.catalog.models import CatalogItemVersion
from xinyong.ingest.models import RejectedRow
from xinyong.ingest.services import batch_submit_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

HOSTILE = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-1+2", "\t=1", "\r=1"]


def cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_an_error_report_of_hostile_values_holds_no_formula(
    tmp_path, client_as, clerk, department, xzcf
):
    rows = [
        # An unrecognised column whose header is itself a formula, and a bad date: rejected.
        {**penalty_row(n, **{"违法事实": value, "处罚决定日期": "明天"}), "=SUM(A1:A9)": value}
        for n, value in enumerate(HOSTILE, start=1)
    ]
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", rows)
    )
    assert batch.rejected == len(HOSTILE)
    response = client_as(clerk).get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx")
    assert response.status_code == 200
    written = list(cells(response.content))
    assert not [c.coordinate for c in written if c.data_type == "f"]
    # Kept as received (the clerk fixes them in place), as text; XML reads a
    # carriage return back as a line feed.
    expected = {"=SUM(A1:A9)", *(v.replace("\r", "\n") for v in HOSTILE)}
    assert expected <= {c.value for c in written}
    assert all(c.data_type == "s" for c in written if c.value in expected)
    # Each stays text when the clerk edits it; a plain number ("+1") may turn into one.
    assert all(c.quotePrefix for c in written if c.value in expected - {"+1"})


def test_a_template_with_formula_like_labels_holds_no_formula(client_as, clerk, xzcf):
    version = xzcf.current_version
    schema = version.schema
    optional = next(f for f in schema["fields"] if not f["required"])
    optional["label"] = '=HYPERLINK("http://x")'
    coded = next(f for f in schema["fields"] if f["type"] == "code_list" and f.get("choices"))
    coded["choices"] = ["=1+1", *coded["choices"]]
    CatalogItemVersion.objects.filter(pk=version.pk).update(schema=schema)
    response = client_as(clerk).get("/staff/ingest/items/XZCF/template.xlsx")
    written = list(cells(response.content))
    assert not [c.coordinate for c in written if c.data_type == "f"]
    assert {'=HYPERLINK("http://x")', "=1+1"} <= {c.value for c in written}


def test_an_error_report_wider_than_excel_opens_with_the_first_columns(
    client_as, clerk, department, xzcf
):
    """A batch read before the column limit, 20,000 columns wide."""
    batch = BatchFactory(department=department, item=xzcf, rejected=1, received=1)
    values = {f"第{n}列": str(n) for n in range(1, 20_001)}
    RejectedRow.objects.create(
        batch=batch,
        row_number=2,
        values=values,
        errors=[{"field": "", "value": "", "message": "无法处理"}],
    )
    response = client_as(clerk).get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_column == 16_384
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[0] == "第1列" and header[-2:] == ("错误原因", "原行号")
    row = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[-1] == 2 and "只列出前 16382 列" in row[-2]
