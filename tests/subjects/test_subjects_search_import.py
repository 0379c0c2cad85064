"""Subjects created by an import are searchable once it ends: on SQLite its
new subjects are set aside by the index's triggers and indexed in bulk at
its end (`subject_index_deferred`); nothing of that is visible, and the
index's objects are the same before and after, on either database."""

import pytest
from django.db import connection, transaction

from support.ingest_files import company_code, penalty_row
from xinyong.ingest.services import batch_submit_file
from xinyong.subjects import search
from xinyong.subjects.models import Subject
from xinyong.subjects.search.index import index_objects, subject_index_deferred

pytestmark = pytest.mark.django_db

_TRIGGERS = {
    "sqlite": {"subjects_search_insert", "subjects_search_delete", "subjects_search_update"},
    "postgresql": {
        "subjects_search_insert",
        "subjects_search_delete",
        "subjects_search_update",
        "subjects_search_truncate",
    },
}


def _objects() -> dict[str, set[str]]:
    objects = index_objects(connection)
    # Not a vacuous comparison: the index's triggers are there to compare.
    assert objects["trigger"] == _TRIGGERS[connection.vendor]
    assert "subjects_search_bigram" in objects["table"]
    return objects


def _deferrals() -> int:
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM subjects_search_deferral")
        return cursor.fetchone()[0]


def _rows():
    return [
        penalty_row(1, **{"行政相对人名称": "神农架云雾茶香农业科技有限公司"}),
        penalty_row(2, **{"行政相对人名称": "木鱼镇百草药王中药材经营部"}),
    ]


def test_an_imported_subject_is_found_by_long_and_two_character_queries(
    on_day, submit, xzcf, make_subject
):
    before = _objects()
    submit(xzcf, _rows())
    assert names(search.search_subjects("茶香农业")) == ["神农架云雾茶香农业科技有限公司"]
    assert names(search.search_subjects("药王")) == ["木鱼镇百草药王中药材经营部"]
    # The index's objects are as they were, and index what comes next.
    assert _objects() == before
    assert _deferrals() == 0
    make_subject("红坪山泉酒店")
    assert names(search.search_subjects("山泉")) == ["红坪山泉酒店"]
    assert names(search.search_subjects("山泉酒店")) == ["红坪山泉酒店"]


def test_a_failed_import_leaves_the_index_and_its_objects_as_they_were(
    on_day, tmp_path, department, xzcf
):
    before = _objects()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    batch = batch_submit_file(department=department, item=xzcf, path=broken)
    assert batch.status == "failed"
    assert _objects() == before
    assert _deferrals() == 0


def test_an_existing_subject_renamed_during_an_import_is_reindexed_at_once(make_subject):
    old = make_subject("", uscc=company_code(5))
    with transaction.atomic(), subject_index_deferred(connection):
        Subject.objects.filter(pk=old.pk).update(
            name="松柏华康商贸有限公司", name_key="松柏华康商贸有限公司"
        )
        # Found inside the block already: the update trigger still covers it.
        assert names(search.search_subjects("华康商贸")) == ["松柏华康商贸有限公司"]
    assert names(search.search_subjects("华康")) == ["松柏华康商贸有限公司"]


def test_subjects_made_renamed_and_deleted_inside_the_block_end_up_right(make_subject):
    with subject_index_deferred(connection):
        kept = make_subject("神农架新建茶厂")
        renamed = make_subject("神农架旧名字商店")
        gone = make_subject("神农架删除测试商店")
        if connection.vendor == "sqlite":
            # Set aside: not in the index until the block ends.
            assert search.search_subjects("新建茶厂").hits == []
            assert _deferrals() == 1
        Subject.objects.filter(pk=renamed.pk).update(
            name="神农架新名字商店", name_key="神农架新名字商店"
        )
        Subject.objects.filter(pk=gone.pk).delete()
    assert _deferrals() == 0
    assert [h.id for h in search.search_subjects("新建茶厂").hits] == [kept.pk]
    assert [h.id for h in search.search_subjects("新名字").hits] == [renamed.pk]
    assert search.search_subjects("旧名字").hits == []
    assert search.search_subjects("删除测试").hits == []
    assert search.search_subjects("删除").hits == []
    # And the index still follows them once the block is over.
    Subject.objects.filter(pk=kept.pk).delete()
    assert search.search_subjects("新建茶厂").hits == []


def test_an_error_inside_the_block_takes_all_of_it_back(make_subject):
    before = Subject.objects.count()
    with pytest.raises(RuntimeError), subject_index_deferred(connection):
        make_subject("神农架半途而废有限公司")
        raise RuntimeError("the import broke")
    assert Subject.objects.count() == before
    assert _deferrals() == 0
    made = make_subject("神农架之后新建有限公司")
    assert [h.id for h in search.search_subjects("之后新建").hits] == [made.pk]


def test_a_block_inside_another_leaves_the_work_to_the_outer_one(make_subject):
    with subject_index_deferred(connection):
        first = make_subject("神农架外层新建商店")
        with subject_index_deferred(connection):
            second = make_subject("神农架内层新建商店")
        assert _deferrals() == (1 if connection.vendor == "sqlite" else 0)
    assert [h.id for h in search.search_subjects("层新建").hits] == [first.pk, second.pk]
    assert [h.id for h in search.search_subjects("内层").hits] == [second.pk]


def names(result):
    return [hit.name for hit in result.hits]
