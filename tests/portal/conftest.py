"""Portal fixtures: records made through the intake path (which publishes them)."""

import datetime as dt
from pathlib import Path

import pytest

from subjects.factories import SubjectFactory
from support.ingest_files import write_csv
from xinyong.ingest.services import batch_submit_file
from xinyong.subjects.models import Subject


@pytest.fixture
def on_day(pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))


@pytest.fixture
def submit(tmp_path, department):
    """`submit(item, rows)`: a CSV through the intake, which computes each
    record's disclosure window and publishes what is due."""
    counter = [0]

    def run(item, rows, *, dept=None):
        counter[0] += 1
        header: list[str] = []
        for row in rows:
            header += [h for h in row if h not in header]
        path = write_csv(tmp_path / f"batch{counter[0]}.csv", rows, header=header)
        batch = batch_submit_file(department=dept or department, item=item, path=Path(path))
        assert batch.rejected == 0, list(batch.rejected_rows.values_list("errors", flat=True))
        return batch

    return run


@pytest.fixture
def make_subject(db):
    def make(name: str, *, kind=Subject.Kind.LEGAL, uscc=None) -> Subject:
        return SubjectFactory(kind=kind, name=name, uscc=uscc)

    return make
