import datetime as dt

import pytest

from support.ingest_files import AGENCY_CODE, company_code, penalty_row, write_csv
from xinyong.catalog.models import CatalogItem
from xinyong.ingest.services import batch_submit_file
from xinyong.records.models import Record


def licence_row(n: int = 1, **overrides) -> dict:
    row = {
        "行政相对人名称": f"神农架林海{n}商贸有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1(统一社会信用代码)": company_code(n),
        "行政许可决定文书号": f"神市监许〔2025〕{n}号",
        "许可类别": "普通",
        "许可内容": "食品经营许可",
        "许可决定日期": "2025/09/30",
        "有效期自": "2025/09/30",
        "有效期至": "2030/09/29",
        "许可机关": "林区市场监督管理局",
        "许可机关统一社会信用代码": AGENCY_CODE,
        "数据来源单位": "林区市场监督管理局",
        "数据来源单位统一社会信用代码": AGENCY_CODE,
    }
    row.update(overrides)
    return row


def person_penalty_row(n: int = 1, **overrides) -> dict:
    row = penalty_row(n)
    del row["行政相对人代码_1(统一社会信用代码)"]
    row.update(
        {
            "行政相对人名称": "张三丰",
            "行政相对人类别": "自然人",
            "证件类型": "身份证",
            "证件号码": "11010519491231002X",
        }
    )
    row.update(overrides)
    return row


@pytest.fixture
def submit(tmp_path, department):
    """`submit(item, rows)`: rows imported as the department's file on the
    pinned day (the pipeline fills their disclosure windows); returns the
    records in row order. `fill=False` clears the windows again."""
    counter = iter(range(1, 10_000))

    def run(item: CatalogItem, rows: list[dict], *, fill: bool = True) -> list[Record]:
        header = list(dict.fromkeys(key for row in rows for key in row))
        path = write_csv(tmp_path / f"upload-{next(counter)}.csv", rows, header=header)
        batch = batch_submit_file(department=department, item=item, path=path)
        assert batch.status == "done", batch.failure_reason
        assert batch.rejected == 0, list(batch.rejected_rows.values_list("errors", flat=True))
        if not fill:
            # Records as a writer that skips the window step leaves them (an
            # older release, a direct SQL load): for the daily job to catch up.
            Record.objects.filter(source_batch_id=batch.pk).update(
                disclosure_rule="",
                disclosure_tier="",
                publish_due=None,
                published_on=None,
                published_on_time=None,
                disclosure_end=None,
            )
        return list(
            Record.objects.filter(item=item, department=department)
            .select_related("subject")
            .order_by("source_row", "pk")
            .filter(source_batch_id=batch.pk)
        )

    return run


@pytest.fixture
def day(pin_today):
    """`day("2025-10-09")` stands on that day; returns the date."""

    def stand(value: str | dt.date) -> dt.date:
        value = dt.date.fromisoformat(value) if isinstance(value, str) else value
        pin_today(value)
        return value

    return stand
