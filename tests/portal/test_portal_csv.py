"""The 双公示 CSV download: public fields only, masked, streamed, no formulas."""

import csv
import io

import pytest

from portal.portal_support import LEGAL_REP_ID, PERSON_ID, licence_row, person_penalty_row
from support.exports import download, download_csv
from support.ingest_files import penalty_row
from xinyong.records.exports import export_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


@pytest.fixture
def records(submit, xzcf, xzxk):
    submit(
        xzcf,
        [
            penalty_row(1, **{"法定代表人": "王五", "法定代表人证件号码": LEGAL_REP_ID}),
            penalty_row(2, **{"处罚决定日期": "2025/09/01"}),
            person_penalty_row(),
        ],
    )
    submit(xzxk, [licence_row(1), licence_row(2)])


def test_csv_download(client, records, other_department):
    response = download(client, "penalties")
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    assert "违法事实" in header and "公示截止日期" in header
    assert "证件号码" not in header and "法定代表人证件号码" not in header
    assert PERSON_ID not in text and LEGAL_REP_ID not in text and "张三丰" not in text
    assert "张**" in text
    filtered = download_csv(client, "penalties", department="shuiwu")
    assert len(list(csv.reader(io.StringIO(filtered)))) == 1
    own = download_csv(client, "penalties", department="scjg")
    assert len(list(csv.reader(io.StringIO(own)))) == 4
    assert "神市监许〔2025〕2号" in download_csv(client, "licences")


def test_csv_cells_never_start_a_formula(client, submit, xzcf):
    submit(
        xzcf, [penalty_row(1, **{"违法事实": '=HYPERLINK("http://x")', "罚款金额（万元）": "0.5"})]
    )
    text = download_csv(client, "penalties")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert '\'=HYPERLINK("http://x")' in row and "0.5" in row


def test_csv_headers_and_every_formula_start_are_neutralised(client, submit, xzcf):
    """Field labels go into the header: a label that starts a formula is text too."""
    hostile = ["=cmd|' /C calc'!A0", "@SUM(1)", "-1+2", "+A1"]
    submit(xzcf, [penalty_row(n, **{"违法事实": v}) for n, v in enumerate(hostile, start=1)])

    def download():
        return list(csv.reader(io.StringIO(download_csv(client, "penalties"))))

    cells = [cell for row in download()[1:] for cell in row]
    for value in hostile:
        assert "'" + value in cells and value not in cells
    version = xzcf.current_version
    schema = version.schema
    field = next(f for f in schema["fields"] if f["label"] == "违法事实")
    field["label"] = "=违法事实"
    type(version).objects.filter(pk=version.pk).update(schema=schema)
    export_request()  # as the catalog's own services do (this test edits the row)
    header = download()[0]
    assert "'=违法事实" in header and "=违法事实" not in header
