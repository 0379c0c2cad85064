"""Personal identifiers at rest: the stored originals and the rejected rows'
cells are encrypted, and read back in clear only by the uploading department
and the credit office."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from openpyxl import load_workbook

from support.ingest_files import penalty_row, write_csv
from xinyong.core.crypto import DataKeyError, plain_chunks
from xinyong.ingest import services
from xinyong.ingest.models import Batch, RejectedRow
from xinyong.ingest.services import batch_submit_file
from xinyong.ingest.uploads import incoming_dir

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

ID_NUMBER = "11010519491231002X"


def person_row(n: int, **overrides: str) -> dict:
    row = penalty_row(n)
    del row["行政相对人代码_1(统一社会信用代码)"]
    row.update(
        {
            "行政相对人名称": "张三丰",
            "行政相对人类别": "自然人",
            "证件类型": "身份证",
            "证件号码": ID_NUMBER,
        }
    )
    row.update(overrides)
    return row


@pytest.fixture
def batch(tmp_path, department, xzcf) -> Batch:
    """A file with a person's ID in an accepted row and in a rejected one."""
    rows = [person_row(1), person_row(2, **{"处罚决定日期": "2025/02/30"})]
    return batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "自然人.csv", rows)
    )


def _raw_rejected_values() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('values')} FROM ingest_rejectedrow")
        return [str(value) for (value,) in cursor.fetchall()]


def test_no_clear_id_in_the_stored_original_nor_in_the_rejected_rows(batch):
    assert (batch.accepted, batch.rejected) == (1, 1)
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    assert ID_NUMBER.encode() not in stored.read_bytes()
    assert ID_NUMBER.encode() in b"".join(plain_chunks(stored))
    [raw] = _raw_rejected_values()
    assert ID_NUMBER not in raw and "张三丰" not in raw
    assert RejectedRow.objects.get().clear_values()["证件号码"] == ID_NUMBER
    # Nor a clear copy left over from the import.
    assert not [p for p in incoming_dir().glob("*") if ID_NUMBER.encode() in p.read_bytes()]


@pytest.mark.parametrize("who", ["clerk", "admin_user"])
def test_the_department_and_the_credit_office_read_them_in_clear(batch, client_as, request, who):
    client = client_as(request.getfixturevalue(who))
    original = client.get(f"/staff/ingest/batches/{batch.pk}/original")
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == b"".join(
        plain_chunks(Path(settings.MEDIA_ROOT) / batch.stored_file)
    )
    assert "attachment" in original["Content-Disposition"]
    report = client.get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(report.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert ID_NUMBER in cells


def test_another_department_reads_neither(batch, client_as, other_clerk):
    client = client_as(other_clerk)
    assert client.get(f"/staff/ingest/batches/{batch.pk}/original").status_code == 404
    assert client.get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx").status_code == 404


def test_a_tampered_original_is_not_intact_and_not_retried(batch):
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    data = bytearray(stored.read_bytes())
    data[-5] ^= 1  # one bit, same size
    stored.write_bytes(bytes(data))
    assert services._file_present(batch)
    assert not services._file_intact(batch)
    with pytest.raises(DataKeyError):
        b"".join(plain_chunks(stored))


def _raw_rejected_errors() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT errors FROM ingest_rejectedrow")
        return [str(value) for (value,) in cursor.fetchall()]


def test_no_clear_id_in_the_stored_error_messages(tmp_path, department, xzcf, client_as, clerk):
    """An error quotes the value it is about (an ID number whose check digit
    is wrong): the stored errors are encrypted as the cells are, and read in
    clear by the department on its batch page."""
    wrong = ID_NUMBER[:-1] + "1"
    batch = batch_submit_file(
        department=department,
        item=xzcf,
        path=write_csv(tmp_path / "wrong.csv", [person_row(1, 证件号码=wrong)]),
    )
    assert batch.rejected == 1
    (error,) = RejectedRow.objects.get().clear_errors()
    assert error["field"] == "证件号码" and wrong in error["value"] + error["message"]
    [raw] = _raw_rejected_errors()
    assert wrong not in raw and wrong[6:14] not in raw and "张三丰" not in raw
    [raw_values] = _raw_rejected_values()
    assert wrong not in raw_values
    page = client_as(clerk).get(f"/staff/ingest/batches/{batch.pk}/").content.decode()
    assert wrong in page
