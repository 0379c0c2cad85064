"""The bulk writer's row layout (its behaviour is tested through the import, tests/ingest)."""

from xinyong.records import services
from xinyong.records.disclosure import WINDOW_COLUMNS


def test_the_positions_the_writer_reads_name_their_columns():
    # The writer indexes rows with literal positions (typed); ROW_COLUMNS is the truth.
    assert services.ROW_COLUMNS[services._KEY] == "record_key"
    assert services.ROW_COLUMNS[services._HASH] == "content_hash"
    assert services.ROW_COLUMNS[services._LATE] == "is_late"
    assert services.ROW_COLUMNS[-len(WINDOW_COLUMNS) :] == WINDOW_COLUMNS
