"""Departments named by the restricted items, one officer each, and records
of the integrity items submitted through the real intake (a CSV file)."""

import pytest

from orgs.factories import (
    CreditAdminFactory,
    CreditOfficeFactory,
    DepartmentFactory,
    OfficerFactory,
)
from support.ingest_files import write_csv
from xinyong.catalog.models import CatalogItem
from xinyong.core.identifiers import resident_id_with_check
from xinyong.ingest.services import batch_submit_file
from xinyong.integrity.builtin import bind_readers
from xinyong.records.models import Record

# Each restricted item and the one department (besides the credit office) that reads it.
READERS = {
    "GWY_CXDA": "zzb",
    "GRCX_JS": "jiaoyu",
    "GRCX_YS": "weijian",
    "GRCX_LS": "sifa",
    "GRCX_DY": "wenlv",
    "GRCX_KJ": "caizheng",
    "GRCX_FDDBR": "scjg",
}
# Departments that read nothing restricted.
OUTSIDERS = ("shuiwu", "renshe")
PERSON_ID = resident_id_with_check("42902119800101123")
PERSON_NAME = "欧阳诚信"


@pytest.fixture
def readers(db) -> dict:
    """Short code → department, for every reader and two outsiders; the
    items' readers bound and each item submitted by its reader."""
    departments = {
        code: DepartmentFactory(short_code=code, name=f"林区{code}局")
        for code in (*sorted(set(READERS.values())), *OUTSIDERS)
    }
    bind_readers()
    for item_code, code in READERS.items():
        CatalogItem.objects.get(code=item_code).departments.add(departments[code])
    return departments


@pytest.fixture
def credit_admin(db):
    return CreditAdminFactory(username="xyb_admin", department=CreditOfficeFactory())


@pytest.fixture
def officers(readers) -> dict:
    return {
        code: OfficerFactory(username=f"{code}_officer", department=d)
        for code, d in readers.items()
    }


def integrity_row(item_code: str, n: int = 1, **overrides) -> dict:
    row = {
        "姓名": PERSON_NAME,
        "证件类型": "身份证",
        "证件号码": PERSON_ID,
        "记录编号": f"{item_code}-2025-{n:04d}",
        "信息类别": "失信",
        "记录内容": f"{item_code}失信事项{n}",
        "认定日期": "2025/09/30",
        "认定单位": "林区测试单位",
    }
    row.update(overrides)
    return row


@pytest.fixture
def submit_integrity(tmp_path, readers):
    """`submit_integrity(item_code, rows)`: rows imported by the item's reader department."""
    counter = iter(range(1, 10_000))

    def run(item_code: str, rows: list[dict] | None = None) -> list[Record]:
        item = CatalogItem.objects.get(code=item_code)
        rows = rows or [integrity_row(item_code)]
        header = list(dict.fromkeys(key for row in rows for key in row))
        path = write_csv(tmp_path / f"integrity-{next(counter)}.csv", rows, header=header)
        batch = batch_submit_file(department=readers[READERS[item_code]], item=item, path=path)
        assert batch.status == "done", batch.failure_reason
        assert batch.rejected == 0, list(batch.rejected_rows.values_list("errors", flat=True))
        return list(Record.objects.filter(source_batch_id=batch.pk).select_related("subject"))

    return run


@pytest.fixture
def all_groups(submit_integrity) -> dict:
    """One record of the same person in every restricted item."""
    return {code: submit_integrity(code)[0] for code in READERS}
