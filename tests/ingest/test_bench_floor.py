"""`xinyong bench ingest --floor`: the database's own time for an import's
rows, measured on twins of the tables. The figure is only a lower bound if
the twins hold every row the import wrote and have the same indexes and
foreign keys; and the real tables must come out of it untouched."""

from pathlib import Path

import pytest
from django.db import connection, transaction

from bench import floor
from support.ingest_files import penalty_row, write_csv
from xinyong.ingest.services import batch_submit_file
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.search import search_subjects

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("on_day")]


def _keys(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return (
        sum(1 for c in constraints.values() if c["index"] or c["unique"]),
        sum(1 for c in constraints.values() if c["foreign_key"]),
    )


def test_floor_copies_every_row_into_faithful_twins_and_drops_them(tmp_path, department, xzcf):
    rows = [penalty_row(1), penalty_row(2), penalty_row(3, **{"处罚决定日期": "2025-13-40"})]
    batch = batch_submit_file(
        department=department, item=xzcf, path=Path(write_csv(tmp_path / "a.csv", rows))
    )
    assert (batch.accepted, batch.rejected) == (2, 1)

    copies, commit = floor.measure()

    by_table = {copy.table: copy for copy in copies}
    assert set(floor.import_tables()) <= set(by_table)
    assert by_table["records_record"].rows == Record.objects.count() == 2
    assert by_table["ingest_rejectedrow"].rows == 1
    assert by_table["subjects_subject"].rows == Subject.objects.count() == 2
    assert by_table["subjects_search_bigram"].rows > 0
    for table in floor.import_tables():
        assert (by_table[table].indexes, by_table[table].foreign_keys) == _keys(table), table
    assert by_table["records_record"].foreign_keys == 4
    assert commit >= 0 and all(copy.seconds >= 0 for copy in copies)

    assert not [t for t in connection.introspection.table_names() if t.startswith(floor.PREFIX)]
    # The real search index was not written twice (no trigger was copied).
    assert [hit.name for hit in search_subjects("林海1商贸").hits] == ["神农架林海1商贸有限公司"]
    assert Record.objects.count() == 2


def test_reading_alone_reads_and_validates_the_whole_file_and_writes_nothing(
    tmp_path, department, xzcf
):
    rows = [penalty_row(n) for n in range(1, 6)] + [
        penalty_row(9, **{"处罚决定日期": "2025-13-40"})
    ]
    path = Path(write_csv(tmp_path / "a.csv", rows))
    batch = batch_submit_file(department=department, item=xzcf, path=path)

    seconds, received = floor.reading_alone(batch, path)

    assert received == batch.received == 6
    assert seconds > 0
    assert Record.objects.count() == 5  # nothing written again


def test_floor_refuses_to_run_inside_a_transaction(department, xzcf):
    # Its COMMIT would be a savepoint's release: a figure that measures nothing.
    with transaction.atomic(), pytest.raises(RuntimeError):
        floor.measure()
    assert not [t for t in connection.introspection.table_names() if t.startswith(floor.PREFIX)]
