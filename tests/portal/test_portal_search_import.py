"""Subjects created by an import are searchable once it ends: the row
triggers of the search index are set aside during an import and the new
subjects indexed in bulk at its end (SQLite); nothing of that is visible."""

import pytest
from django.db import connection, transaction

from support.ingest_files import company_code, penalty_row
from xinyong.ingest.services import batch_submit_file
from xinyong.portal import search, searchindex
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _triggers() -> dict[str, str]:
    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'portal_%'"
        )
        return dict(cursor.fetchall())


def _rows():
    return [
        penalty_row(1, **{"行政相对人名称": "神农架云雾茶香农业科技有限公司"}),
        penalty_row(2, **{"行政相对人名称": "木鱼镇百草药王中药材经营部"}),
    ]


def test_an_imported_subject_is_found_by_long_and_two_character_queries(
    on_day, submit, xzcf, make_subject
):
    before = _triggers()
    submit(xzcf, _rows())
    assert names(search.search_subjects("茶香农业")) == ["神农架云雾茶香农业科技有限公司"]
    assert names(search.search_subjects("药王")) == ["木鱼镇百草药王中药材经营部"]
    # The triggers are back, exactly as they were, and index what comes next.
    assert _triggers() == before
    make_subject("红坪山泉酒店")
    assert names(search.search_subjects("山泉")) == ["红坪山泉酒店"]
    assert names(search.search_subjects("山泉酒店")) == ["红坪山泉酒店"]


def test_a_failed_import_leaves_the_index_and_its_triggers_as_they_were(
    on_day, tmp_path, department, xzcf
):
    before = _triggers()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    batch = batch_submit_file(department=department, item=xzcf, path=broken)
    assert batch.status == "failed"
    assert _triggers() == before


def test_an_existing_subject_renamed_during_an_import_is_reindexed_at_once(make_subject):
    old = make_subject("", uscc=company_code(5))
    with transaction.atomic(), searchindex.subject_index_deferred(connection):
        Subject.objects.filter(pk=old.pk).update(
            name="松柏华康商贸有限公司", name_key="松柏华康商贸有限公司"
        )
        # Found inside the block already: the update trigger still covers it.
        assert names(search.search_subjects("华康商贸")) == ["松柏华康商贸有限公司"]
    assert names(search.search_subjects("华康")) == ["松柏华康商贸有限公司"]


def names(result):
    return [hit.name for hit in result.hits]
