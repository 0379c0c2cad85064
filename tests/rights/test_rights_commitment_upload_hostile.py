"""A commitment upload's free-text cells that no column can keep: a NUL or a
direction mark, or more than the column holds. Each row is rejected naming
its row and field (the values were stored: PostgreSQL refuses NUL and an
over-long value, and the worker's transaction failed with them)."""

import pytest

from rights.factories import COMPANY_USCC
from rights.test_rights_commitment_upload import HEADER, _csv
from xinyong.rights.models import Commitment

pytestmark = pytest.mark.django_db


def row(name="神农架林区建材公司", contact="李四", matter="食品经营许可"):
    return f"审批替代型,单位,{name},{COMPANY_USCC},0719-3331234,{contact},{matter},2026/11/02"


def test_cells_no_column_can_keep_are_rejected_by_row_and_field(
    clerk, department, process, pin_today
):
    pin_today("2026-11-20")
    # 60 good rows first: a NUL in the first 4 KB makes the file "not a spreadsheet".
    lines = [
        HEADER,
        *(row(contact=f"李{n}") for n in range(60)),  # rows 2-61
        row(name="神农架\x00林区建材公司"),  # row 62
        row(contact="李\x00四"),
        row(matter="食品\u202e可许营经"),
        row(name="长" * 201, contact="李" * 51, matter="食" * 301),
    ]
    upload = process(actor=clerk, department=department, upload=_csv(lines))
    assert upload.status == "done"
    assert (upload.received, upload.accepted, upload.rejected) == (64, 60, 4)
    errors = {(e["row"], e["field"]): e for e in upload.errors}
    assert errors[(62, "主体名称")]["message"] == (
        "第 4 个字符是不可见的控制字符（U+0000），请删除"
    )
    assert errors[(62, "主体名称")]["value"] == "神农架\\u0000林区建材公司"
    assert "联系人" in {f for r, f in errors if r == 63}
    assert "文字方向控制字符" in errors[(64, "承诺事项")]["message"]
    assert errors[(65, "主体名称")]["message"] == "不超过 200 个字"
    assert errors[(65, "联系人")]["message"] == "不超过 50 个字"
    assert errors[(65, "承诺事项")]["message"] == "不超过 300 个字"
    kept = Commitment.objects.filter(upload=upload)
    assert {c.signer_name for c in kept} == {"神农架林区建材公司"} and kept.count() == 60
