import datetime as dt
from pathlib import Path

import pytest

from support.ingest_files import write_csv
from xinyong.core import clock
from xinyong.ingest.services import batch_submit_file
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key
from xinyong.subjects.services import subject_resolve_bulk


@pytest.fixture
def resolve(db):
    """`resolve(department, candidate, …)` → the subject ids, in one call (one chunk)."""

    def run(department, *candidates, source="test"):
        return subject_resolve_bulk(
            department_id=department.pk, candidates=list(candidates), source=source
        )

    return run


@pytest.fixture
def on_day(pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))


@pytest.fixture
def make_subject(db):
    """`make_subject(name, kind=…, uscc=…)`: one subject through the ORM (its
    search index entry made by the database's triggers)."""

    def make(name: str, *, kind=Subject.Kind.LEGAL, uscc=None) -> Subject:
        now = clock.now()
        return Subject.objects.create(
            kind=kind, name=name, name_key=name_key(name), uscc=uscc, created_at=now, updated_at=now
        )

    return make


@pytest.fixture
def submit(tmp_path, department):
    """`submit(item, rows)`: a CSV through the intake, every row accepted."""
    counter = [0]

    def run(item, rows):
        counter[0] += 1
        header: list[str] = []
        for row in rows:
            header += [h for h in row if h not in header]
        path = write_csv(tmp_path / f"batch{counter[0]}.csv", rows, header=header)
        batch = batch_submit_file(department=department, item=item, path=Path(path))
        assert batch.rejected == 0, list(batch.rejected_rows.values_list("errors", flat=True))
        return batch

    return run
