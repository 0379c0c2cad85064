import datetime as dt

import pytest

from support.ingest_files import penalty_row, write_csv
from xinyong.catalog.models import CatalogItem
from xinyong.ingest.services import batch_submit_file
from xinyong.orgs.models import Department
from xinyong.records.models import Record


@pytest.fixture
def submit(tmp_path, pin_today):
    """`submit(department, item, rows, on="2025-10-09")`: the rows imported as
    the department's file on that day through the real intake (deadlines,
    late flags and publication computed by the platform); returns the batch."""
    counter = iter(range(1, 10_000))

    def run(department: Department, item: CatalogItem, rows: list[dict], *, on: str):
        pin_today(dt.date.fromisoformat(on))
        header = list(dict.fromkeys(key for row in rows for key in row))
        path = write_csv(tmp_path / f"upload-{next(counter)}.csv", rows, header=header)
        return batch_submit_file(department=department, item=item, path=path)

    return run


def decided(n: int, day: str, **overrides) -> dict:
    """A 行政处罚 row decided on `day` (ISO)."""
    return penalty_row(n, **{"处罚决定日期": day.replace("-", "/"), **overrides})


@pytest.fixture
def national_day(db, department, xzcf, submit):
    """The hand-computed fixture across 国庆 2025 (holidays 10-01…10-08,
    make-up working days Sun 09-28 and Sat 10-11), for 林区市场监督管理局:

    | row | decided | submitted | submit due (7 days) | publish due (7 working days) | public on |
    |-----|---------|-----------|---------------------|------------------------------|-----------|
    | 1 | 09-26 | 09-29 | 10-03 on time | 10-09         | 09-29 on time (a September publication) |
    | 2 | 09-30 | 10-09 | 10-07 late    | 10-16         | 10-09 on time |
    | 3 | 10-05 | 10-09 | 10-12 on time | 10-16         | 10-09 on time |
    | 4 | 09-20 | 10-09 | 09-27 late    | 09-29 (09-28 works) | 10-09 late |
    | 5 | 10-10 | 10-20 | 10-17 late    | 10-20 (10-11 works) | 10-20 on time, the last day |
    | 6 | 10-09 | 10-20 | 10-16 late    | 10-17         | 10-20 late |
    | 7 | 10-31 | 11-03 | 11-07 on time | 11-11         | 11-03 (a November publication) |

    October: received 5 (rows 2–6), late 4 (2, 4, 5, 6); published 5, on time 3 (2, 3, 5).
    """
    submit(department, xzcf, [decided(1, "2025-09-26")], on="2025-09-29")
    submit(
        department,
        xzcf,
        [decided(2, "2025-09-30"), decided(3, "2025-10-05"), decided(4, "2025-09-20")],
        on="2025-10-09",
    )
    submit(department, xzcf, [decided(5, "2025-10-10"), decided(6, "2025-10-09")], on="2025-10-20")
    submit(department, xzcf, [decided(7, "2025-10-31")], on="2025-11-03")
    return {r.doc_number: r for r in Record.objects.filter(department=department)}
