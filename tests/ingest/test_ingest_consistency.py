"""Row checks of the 双公示 rules (issue 12 item 9): several 处罚类别 in one
decision, and the consistency of subject kind, code and category."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from records.conftest import person_penalty_row
from support.ingest_files import company_code, penalty_row, write_csv, write_xlsx
from xinyong.ingest.models import RejectedRow, WarnedRow
from xinyong.ingest.services import batch_submit_file
from xinyong.ingest.validation import RowValidator
from xinyong.records.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


def _validator(xzcf) -> tuple[RowValidator, list[str]]:
    schema = xzcf.current_version.schema
    fields = schema["fields"]
    validator = RowValidator(schema, list(enumerate(fields)), today=dt.date(2026, 4, 10))
    return validator, [f["label"] for f in fields]


def _validate(xzcf, row: dict):
    validator, labels = _validator(xzcf)
    # penalty_row writes the USCC label with ASCII brackets, as some files do.
    row = {k.replace("(", "（").replace(")", "）"): v for k, v in row.items()}
    return validator.validate([row.get(label, "") for label in labels])


@pytest.mark.parametrize(
    ("category", "ok"),
    [
        ("警告;罚款", True),
        ("警告；罚款", True),
        ("警告、罚款", True),
        ("警告，罚款", True),
        ("罚款、没收违法所得、没收非法财物", True),
        ("罚款、其他-责令改正、限期整改", True),
        ("暂扣或者吊销执照", True),
        ("警告;;罚款", False),
        ("警告;罚没", False),
        ("警告;", False),
    ],
)
def test_several_categories_of_the_code_list_are_accepted(xzcf, category, ok):
    result = _validate(xzcf, penalty_row(1, **{"处罚类别": category}))
    assert result.ok is ok, result.errors
    if not ok:
        assert "不在代码表中" in result.errors[0]["message"]


def test_detention_only_for_persons(tmp_path, department, xzcf):
    rows = [
        penalty_row(1, **{"处罚类别": "行政拘留", "罚款金额（万元）": ""}),
        penalty_row(2, **{"处罚类别": "罚款;行政拘留"}),
        person_penalty_row(3, **{"处罚类别": "行政拘留", "罚款金额（万元）": ""}),
    ]
    header = list(dict.fromkeys(key for row in rows for key in row))
    path = Path(write_csv(tmp_path / "a.csv", rows, header=header))
    batch = batch_submit_file(department=department, item=xzcf, path=path)
    assert (batch.received, batch.accepted, batch.rejected) == (3, 1, 2)
    for row_number in (2, 3):
        (error,) = RejectedRow.objects.get(batch=batch, row_number=row_number).clear_errors()
        assert error["field"] == "处罚类别"
        assert "行政拘留" in error["message"] and "自然人" in error["message"]
    assert Record.objects.get(source_batch_id=batch.pk).subject.kind == "person"


@pytest.mark.parametrize(
    ("prefix", "kind", "warned"),
    [
        ("91429021", "个体工商户", True),  # an enterprise's code declared 个体工商户
        ("92429021", "个体工商户", False),
        ("92429021", "法人及非法人组织", True),
        ("91429021", "法人及非法人组织", False),
        ("93429021", "个体工商户", True),
    ],
)
def test_subject_kind_against_the_code_is_a_warning_not_a_rejection(xzcf, prefix, kind, warned):
    row = penalty_row(
        1,
        **{
            "行政相对人类别": kind,
            "行政相对人代码_1(统一社会信用代码)": company_code(1, prefix=prefix),
        },
    )
    result = _validate(xzcf, row)
    assert result.ok, result.errors
    if warned:
        (warning,) = result.warnings
        assert warning["field"] == "行政相对人类别"
        assert prefix[:2] in warning["message"] and "不一致" in warning["message"]
    else:
        assert result.warnings == []


# -- the warnings are kept and shown (issue 12 item 9) -------------------------------

ENTERPRISE_AS_INDIVIDUAL = {
    "行政相对人类别": "个体工商户",
    "行政相对人代码_1(统一社会信用代码)": company_code(7, prefix="91429021"),
}


def _warned_file(tmp_path: Path, fmt: str) -> Path:
    rows = [
        penalty_row(1),
        penalty_row(2, **ENTERPRISE_AS_INDIVIDUAL),
        penalty_row(3, **{"处罚决定日期": "2025/02/30"}),  # rejected, not warned
    ]
    writer = write_xlsx if fmt == "xlsx" else write_csv
    return Path(writer(tmp_path / f"warned.{fmt}", rows))


@pytest.mark.parametrize(
    ("fmt", "parallel"), [("csv", False), ("xlsx", False), ("csv", True), ("xlsx", True)]
)
def test_a_warning_is_stored_with_the_record_and_the_batch(
    tmp_path, department, xzcf, monkeypatch, fmt, parallel
):
    if parallel:  # the reading side in a forked process
        monkeypatch.setenv("XINYONG_INGEST_PARALLEL_BYTES", "0")
    batch = batch_submit_file(department=department, item=xzcf, path=_warned_file(tmp_path, fmt))
    assert (batch.received, batch.accepted, batch.rejected, batch.warned) == (3, 2, 1, 1)
    (warned,) = WarnedRow.objects.filter(batch=batch)
    assert warned.row_number == 3 and warned.record_key == "神市监罚〔2025〕2号"
    (warning,) = warned.warnings
    assert warning["field"] == "行政相对人类别" and "不一致" in warning["message"]
    records = {r.doc_number: r for r in Record.objects.filter(source_batch_id=batch.pk)}
    assert records["神市监罚〔2025〕2号"].warnings == [warning]
    assert records["神市监罚〔2025〕1号"].warnings == []
    # A warned row is not a rejected one.
    assert [r.row_number for r in RejectedRow.objects.filter(batch=batch)] == [4]


def test_the_staff_pages_and_the_report_show_warnings_apart_from_rejections(
    tmp_path, department, xzcf, client_as, clerk
):
    batch = batch_submit_file(department=department, item=xzcf, path=_warned_file(tmp_path, "csv"))
    client = client_as(clerk)
    page = client.get(f"/staff/ingest/batches/{batch.pk}/").content.decode()
    assert 'id="batch-warned">1<' in page
    warnings_part = page[page.index('id="batch-warnings"') :]
    assert "校验提示（1 行，已通过）" in warnings_part and "第3行" in warnings_part
    assert "以“91”开头" in warnings_part and "不是有效日期" not in warnings_part
    record = Record.objects.get(doc_number="神市监罚〔2025〕2号")
    detail = client.get(f"/staff/records/{record.pk}/").content.decode()
    assert 'id="record-warnings"' in detail and "与行政相对人类别“个体工商户”不一致" in detail
    clean = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    assert 'id="record-warnings"' not in client.get(f"/staff/records/{clean.pk}/").content.decode()

    report = load_workbook(
        io.BytesIO(client.get(f"/staff/ingest/batches/{batch.pk}/errors.xlsx").content)
    )
    rejected_sheet, warnings_sheet = report.worksheets
    rejected = list(rejected_sheet.iter_rows(values_only=True))
    assert [row[-1] for row in rejected[1:]] == [4]  # the rejected row only
    warnings = list(warnings_sheet.iter_rows(values_only=True))
    assert warnings[0] == ("原行号", "字段", "填写内容", "提示")
    assert warnings[1][:3] == (3, "行政相对人类别", "个体工商户") and "不一致" in warnings[1][3]


def test_a_correction_without_the_inconsistency_clears_the_record_warning(
    tmp_path, department, xzcf
):
    batch_submit_file(department=department, item=xzcf, path=_warned_file(tmp_path, "csv"))
    fixed = penalty_row(2, **{"行政相对人代码_1(统一社会信用代码)": company_code(7)})
    again = batch_submit_file(
        department=department, item=xzcf, path=Path(write_csv(tmp_path / "fixed.csv", [fixed]))
    )
    assert (again.updated, again.warned) == (1, 0)
    record = Record.objects.get(doc_number="神市监罚〔2025〕2号")
    assert record.revision == 2 and record.warnings == []


def test_the_last_row_of_a_key_in_a_file_decides_the_record_warning(tmp_path, department, xzcf):
    rows = [penalty_row(2, **ENTERPRISE_AS_INDIVIDUAL), penalty_row(2, 处罚内容="罚款人民币1万元")]
    batch = batch_submit_file(
        department=department, item=xzcf, path=Path(write_csv(tmp_path / "twice.csv", rows))
    )
    assert batch.warned == 1  # the first row was warned (and is listed) ...
    assert Record.objects.get().warnings == []  # ... but the record holds the second


def test_the_import_command_mentions_warnings(tmp_path, department, xzcf):
    out = io.StringIO()
    call_command(
        "import",
        str(_warned_file(tmp_path, "csv")),
        item="XZCF",
        department="scjg",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert any("1 行已通过但有校验提示" in line for line in lines)
    assert lines[-1] == "received=3 accepted=2 rejected=1"
