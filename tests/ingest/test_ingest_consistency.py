"""Row checks of the 双公示 rules (issue 12 item 9): several 处罚类别 in one
decision, and the consistency of subject kind, code and category."""

import datetime as dt
from pathlib import Path

import pytest

from records.conftest import person_penalty_row
from support.ingest_files import company_code, penalty_row, write_csv
from xinyong.ingest.models import RejectedRow
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
        (error,) = RejectedRow.objects.get(batch=batch, row_number=row_number).errors
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
