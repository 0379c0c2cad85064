"""Issue 12.8: the 双公示 CSV downloads are files the worker builds (once a day
and after changes), which the site serves; a download never builds one."""

import csv
import datetime as dt
import io
import os
from urllib.parse import quote

import pytest
from django_tasks_db.models import DBTaskResult

from portal.portal_support import PERSON_ID, licence_row, person_penalty_row
from support.exports import download, download_csv
from support.ingest_files import penalty_row
from support.tasks import run_ready_tasks
from xinyong.core.tasks.leases import Lease
from xinyong.records import exports, tasks
from xinyong.records.models import Record
from xinyong.records.selectors import KINDS, RecordFilters, iter_public_views
from xinyong.records.services import record_withdraw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

BUILD = tasks.build_exports.module_path
CARELESS_FACTS = f"当事人身份证号{PERSON_ID}，手机13912341234，销售过期食品"


def _queued_builds() -> int:
    return DBTaskResult.objects.filter(task_path=BUILD, status="READY").count()


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def published(submit, xzcf, xzxk):
    submit(
        xzcf,
        [
            penalty_row(1, **{"违法事实": CARELESS_FACTS}),
            penalty_row(2, **{"处罚决定日期": "2025/09/01"}),
            person_penalty_row(),
        ],
    )
    submit(xzxk, [licence_row(1), licence_row(2)])


def test_the_file_is_what_the_public_selectors_give(client, published):
    """Row for row the public shape (masked, scrubbed, formula-safe), for each kind."""
    for slug, kind in KINDS.items():
        rows = _rows(download_csv(client, slug))
        columns, header = exports.csv_header(kind)
        expected = [
            [str(cell) for cell in exports.csv_row(view, columns)]
            for view in iter_public_views(kind, RecordFilters())
        ]
        assert rows[0] == header
        assert rows[1:] == expected and len(expected) == (3 if slug == "penalties" else 2)
    text = download_csv(client, "penalties")
    assert PERSON_ID not in text and "13912341234" not in text and "张三丰" not in text
    assert "139****1234" in text and "张**" in text


def test_no_file_yet_answers_503_in_chinese_and_queues_the_build(client, published):
    DBTaskResult.objects.all().delete()
    response = client.get("/shuanggongshi/penalties.csv")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "下载文件正在生成" in response.content.decode()
    # Nothing was built in the request: the worker's task is queued, once.
    assert not exports.exports_dir().exists() or not any(exports.exports_dir().iterdir())
    assert _queued_builds() == 1
    client.get("/shuanggongshi/licences.csv")
    assert _queued_builds() == 1
    assert run_ready_tasks() == 1
    assert download(client, "penalties").status_code == 200


def test_a_download_is_a_file_with_its_date_and_validators(
    client, published, django_assert_max_num_queries
):
    run_ready_tasks()
    # The catalog's versions, the export state's row; on PostgreSQL the shared download
    # counter (and its purge). Nothing of the records.
    with django_assert_max_num_queries(4):
        response = client.get("/shuanggongshi/penalties.csv")
    assert response.status_code == 200 and response.streaming
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="penalties-')
    assert f"filename*=UTF-8''{quote('行政处罚')}-" in disposition
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert b"".join(response.streaming_content).decode("utf-8-sig").count("\n") == 4
    again = client.get("/shuanggongshi/penalties.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    page = client.get("/shuanggongshi/penalties/").content.decode()
    assert "本文件生成于" in page


def test_a_department_has_its_own_file(client, published, other_department):
    assert len(_rows(download_csv(client, "penalties", department="scjg"))) == 4
    assert len(_rows(download_csv(client, "penalties", department="shuiwu"))) == 1
    assert client.get("/shuanggongshi/penalties.csv", {"department": "nosuch"}).status_code == 404
    page = client.get("/shuanggongshi/penalties/", {"department": "scjg"}).content.decode()
    assert 'href="/shuanggongshi/penalties.csv?department=scjg"' in page


def test_a_withdrawn_record_leaves_the_file_with_the_rebuild_it_queued(
    client, published, admin_user, django_capture_on_commit_callbacks
):
    assert "神市监罚〔2025〕1号" in download_csv(client, "penalties")
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    with django_capture_on_commit_callbacks(execute=True):
        record_withdraw(actor=admin_user, record=record, reason="行政复议决定撤销")
    assert _queued_builds() == 1
    # It left the public view at once: the file built before it is not served meanwhile.
    assert client.get("/shuanggongshi/penalties.csv").status_code == 503
    assert run_ready_tasks() == 1
    text = download_csv(client, "penalties")
    assert "神市监罚〔2025〕1号" not in text and "神市监罚〔2025〕2号" in text
    assert "神市监罚〔2025〕1号" not in download_csv(client, "penalties", department="scjg")


def test_changes_are_debounced_into_one_build(client, published, admin_user):
    run_ready_tasks()
    for number in (1, 2):
        record = Record.objects.get(doc_number=f"神市监罚〔2025〕{number}号")
        record_withdraw(actor=admin_user, record=record, reason="撤销")
    assert _queued_builds() == 1


def test_an_import_queues_a_build(submit, xzcf):
    assert _queued_builds() == 0
    submit(xzcf, [penalty_row(1)])
    assert _queued_builds() == 1


def test_a_failed_build_leaves_the_previous_file_serving(client, published, monkeypatch):
    before = download_csv(client, "penalties")
    current = os.readlink(exports.exports_dir() / exports.CURRENT)
    written = []

    def dies_midway(view, columns):
        if written:
            raise KeyboardInterrupt  # the worker killed after a row was written
        written.append(view)
        return [view.id]

    monkeypatch.setattr(exports, "csv_row", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        exports.export_build()
    monkeypatch.undo()
    assert os.readlink(exports.exports_dir() / exports.CURRENT) == current
    assert client.get("/shuanggongshi/penalties.csv").status_code == 200
    assert download_csv(client, "penalties") == before
    # The next build removes what the killed one left, and keeps the previous export.
    half = [
        p
        for p in exports.exports_dir().iterdir()
        if p.name.startswith("build-") and p.name > current
    ]
    assert half
    exports.export_build()
    assert not any(p.exists() for p in half)
    assert (exports.exports_dir() / current).is_dir()
    exports.export_build()
    assert not (exports.exports_dir() / current).exists()  # older than the previous one


def test_never_two_builds_at_once(published):
    with Lease(exports.LEASE) as held:
        assert held.held
        assert exports.export_build() is None
        DBTaskResult.objects.all().delete()
        assert tasks.build_exports.call() == "busy"
        # It comes back later rather than lose the change it was queued for.
        (retry,) = DBTaskResult.objects.filter(task_path=BUILD, status="READY")
        assert retry.run_after is not None


def test_the_refresh_builds_once_a_day_and_when_out_of_date(client, published, pin_today):
    DBTaskResult.objects.all().delete()
    assert tasks.refresh_exports.call() == "missing"
    run_ready_tasks()
    assert tasks.refresh_exports.call() == "fresh" and _queued_builds() == 0
    pin_today(dt.datetime(2025, 10, 10, 1, 0))
    assert tasks.refresh_exports.call() == "daily" and _queued_builds() == 1


def test_a_file_holding_an_expired_record_is_not_served(client, published, pin_today):
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    Record.objects.filter(pk=record.pk).update(disclosure_end=dt.date(2025, 10, 9))
    assert "神市监罚〔2025〕1号" in download_csv(client, "penalties")
    pin_today(dt.datetime(2025, 10, 10, 0, 5))  # past midnight, before any rebuild
    assert client.get("/shuanggongshi/penalties.csv").status_code == 503
    assert "神市监罚〔2025〕1号" not in download_csv(client, "penalties")


def test_a_catalog_change_of_a_shuanggongshi_item_queues_a_build(xzcf, admin_user):
    from xinyong.catalog.services import catalog_field_update

    DBTaskResult.objects.all().delete()
    field = xzcf.fields.get(key="legal_rep_id_number")
    catalog_field_update(
        actor=admin_user, field=field, changes={"is_public": True, "masking": ""}, note="公开"
    )
    assert _queued_builds() == 1


def test_a_build_left_by_a_dead_worker_is_queued_again(published):
    from xinyong.core.tasks.worker import WorkerDied

    DBTaskResult.objects.all().delete()
    tasks.recover_exports()
    assert _queued_builds() == 0
    result = tasks.build_exports.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="FAILED", exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}"
    )
    tasks.recover_exports()
    assert _queued_builds() == 1
    tasks.recover_exports()
    assert _queued_builds() == 1


def test_the_command_builds_them_now(client, published):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("exports", stdout=out)
    text = out.getvalue()
    assert "penalties.csv：3 条" in text and "licences.csv：2 条" in text
    assert client.get("/shuanggongshi/penalties.csv").status_code == 200
