"""Open data: the public API of records and the change feed; no leaks.
(The CSV download is a portal page: tests/portal/test_portal_csv.py.)"""

import datetime as dt

import pytest
from django.db import connection

from records.conftest import licence_row, person_penalty_row
from support.exports import download_csv
from support.ingest_files import company_code, penalty_row
from support.plans import query_plan
from xinyong.core import clock
from xinyong.records import selectors
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.records.tasks import run_daily

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

PERSON_ID = "11010519491231002X"  # person_penalty_row's
LEGAL_REP_ID = "420300198001011234"


@pytest.fixture
def on_day(pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))


@pytest.fixture
def records(submit, xzcf, xzxk):
    submit(
        xzcf,
        [
            penalty_row(1, **{"法定代表人": "王五", "法定代表人证件号码": LEGAL_REP_ID}),
            penalty_row(2, **{"处罚决定日期": "2025/09/01"}),
            person_penalty_row(900),
        ],
    )
    submit(xzxk, [licence_row(1), licence_row(2)])


def _all_text(payload) -> str:
    return str(payload)


def test_records_api_public_fields_only(client, records, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/public/records", {"item": "XZCF"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 3 and {i["item"] for i in items} == {"XZCF"}
    text = _all_text(response.json())
    assert PERSON_ID not in text and LEGAL_REP_ID not in text and "张三丰" not in text
    assert "证件号码" not in text
    person = next(i for i in items if i["subject_name"].startswith("张"))
    assert person["subject_name"] == "张**" and person["subject_uscc"] == ""
    company = next(i for i in items if i["doc_number"] == "神市监罚〔2025〕1号")
    assert company["subject_uscc"] == company_code(1) and company["department"] == "scjg"
    labels = {f["label"] for f in company["fields"]}
    assert "违法事实" in labels and "法定代表人证件号码" not in labels


def test_records_api_filters_and_cursor(client, records):
    page = client.get("/api/v1/public/records", {"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    ids = [i["id"] for i in page["items"]]
    while page["next_cursor"]:
        page = client.get(
            "/api/v1/public/records", {"limit": 2, "cursor": page["next_cursor"]}
        ).json()
        ids += [i["id"] for i in page["items"]]
    assert len(ids) == 5 and ids == sorted(ids)
    dated = client.get(
        "/api/v1/public/records", {"date_from": "2025-09-15", "date_to": "2025-09-30"}
    ).json()
    assert len(dated["items"]) == 4
    assert client.get("/api/v1/public/records", {"department": "nope"}).json()["items"] == []
    bad = client.get("/api/v1/public/records", {"item": "QJSB"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"


def test_non_public_item_never_published(client, records, department):
    # 欠缴社会保险费 is shared between departments only.
    from xinyong.catalog.models import CatalogItem

    assert CatalogItem.objects.get(code="QJSB").disclosure == "government"
    text = _all_text(client.get("/api/v1/public/records", {"limit": 500}).json())
    assert "QJSB" not in text


def _changes(client, since):
    response = client.get("/api/v1/public/changes", {"since": since})
    assert response.status_code == 200, response.content
    return response.json()


def test_change_feed_added_corrected_removed(client, submit, xzcf, admin_user, pin_today):
    submit(xzcf, [penalty_row(1), penalty_row(2)])
    first = _changes(client, "2025-01-01T00:00:00+08:00")
    assert [c["change"] for c in first["changes"]] == ["added", "added"]
    assert first["changes"][0]["record"]["fields"]
    cursor = first["next_cursor"]
    assert _changes(client, cursor)["changes"] == []

    pin_today(dt.datetime(2025, 10, 10, 9, 0))
    submit(xzcf, [penalty_row(1, **{"处罚内容": "罚款人民币0.6万元", "罚款金额（万元）": "0.6"})])
    second = _changes(client, cursor)
    assert [(c["change"], c["record"]["doc_number"]) for c in second["changes"]] == [
        ("corrected", "神市监罚〔2025〕1号")
    ]
    cursor = second["next_cursor"]

    pin_today(dt.datetime(2025, 10, 11, 9, 0))
    record = Record.objects.get(doc_number="神市监罚〔2025〕2号")
    record_withdraw(actor=admin_user, record=record, reason="复议撤销")
    third = _changes(client, cursor)
    assert [(c["change"], c["record_id"], c["reason"]) for c in third["changes"]] == [
        ("removed", record.pk, "withdrawn")
    ]
    # 行政处罚法 art. 48: the withdrawal is public with its reason; the content is not.
    assert third["changes"][0]["reason_text"] == "复议撤销"
    assert third["changes"][0]["record"] is None
    assert _changes(client, third["next_cursor"])["changes"] == []


def test_change_feed_lists_an_expiry_when_the_daily_job_ends_it(client, submit, xzcf, pin_today):
    submit(xzcf, [penalty_row(1)])
    cursor = _changes(client, "2025-01-01T00:00:00+08:00")["next_cursor"]
    record = Record.objects.get()
    Record.objects.filter(pk=record.pk).update(disclosure_end=dt.date(2025, 10, 20))
    assert "神市监罚" in download_csv(client, "penalties")
    # Out of the API and the CSV from midnight, before the job runs.
    pin_today(dt.datetime(2025, 10, 21, 0, 10))
    assert client.get("/api/v1/public/records").json()["items"] == []
    # The CSV file built the day before holds it: not served once it expired (503, rebuilt).
    assert client.get("/shuanggongshi/penalties.csv").status_code == 503
    assert "神市监罚" not in download_csv(client, "penalties")
    # The job ends it (and sets updated_at): the feed lists the removal, once.
    pin_today(dt.datetime(2025, 10, 21, 1, 0))
    run_daily(dt.date(2025, 10, 21))
    page = _changes(client, cursor)
    assert [(c["change"], c["record_id"], c["reason"]) for c in page["changes"]] == [
        ("removed", record.pk, "expired")
    ]
    assert page["changes"][0]["reason_text"] == "公示期满" and page["changes"][0]["record"] is None
    run_daily(dt.date(2025, 10, 21))
    assert _changes(client, page["next_cursor"])["changes"] == []


def test_change_feed_paging(client, submit, xzcf):
    submit(xzcf, [penalty_row(n) for n in range(1, 6)])
    since, seen = "2025-01-01", []
    while True:
        response = client.get("/api/v1/public/changes", {"since": since, "limit": 2}).json()
        seen += [c["record_id"] for c in response["changes"]]
        since = response["next_cursor"]
        if not response["has_more"]:
            break
    assert len(seen) == 5 and len(set(seen)) == 5


def test_change_feed_bad_since(client, db):
    response = client.get("/api/v1/public/changes", {"since": "yesterday"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_since" and "since" in body["message"]


def test_change_feed_never_lists_a_record_never_published(client, submit, xzcf, admin_user):
    # Decided in 2020: its 一般 period (发改办财金〔2019〕527号, 1 year) ended in
    # 2021, before it was submitted, so it is never published.
    submit(xzcf, [penalty_row(1, **{"处罚决定日期": "2020/03/02"}), penalty_row(2)])
    old = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    assert old.published_on is None and old.unpublish_reason == Record.UnpublishReason.EXPIRED
    listed = [c["record"]["doc_number"] for c in _changes(client, "2025-01-01")["changes"]]
    assert listed == ["神市监罚〔2025〕2号"]
    # Nor when a later write touches it: the daily job, a withdrawal.
    run_daily(clock.today())
    record_withdraw(actor=admin_user, record=old, reason="复议撤销")
    ids = [c["record_id"] for c in _changes(client, "2025-01-01")["changes"]]
    assert old.pk not in ids and len(ids) == 1


def test_change_feed_never_lists_a_record_of_a_non_public_item(client, submit, xzcf):
    from xinyong.catalog.models import CatalogItem

    CatalogItem.objects.filter(pk=xzcf.pk).update(disclosure=CatalogItem.Disclosure.GOVERNMENT)
    submit(xzcf, [penalty_row(1)])
    assert Record.objects.get().published_on is None
    assert _changes(client, "2025-01-01")["changes"] == []


def test_change_feed_is_three_queries(client, submit, xzcf, django_assert_max_num_queries):
    submit(xzcf, [penalty_row(n) for n in range(1, 21)])
    # The page, first whether an import holds the feed (records.staging), and
    # the records the purge deleted in the same range (遗忘, records.purge).
    with django_assert_max_num_queries(3):
        page = selectors.changes_since(
            selectors.FeedPosition(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 0), 50
        )
    assert len(page.changes) == 20 and not page.more


@pytest.mark.parametrize("position", ["start", "cursor"])
def test_change_feed_walks_its_index_never_a_full_scan(submit, xzcf, position):
    submit(xzcf, [penalty_row(n) for n in range(1, 201)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    since = selectors.FeedPosition(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 0)
    if position == "cursor":  # inside a run of equal updated_at: the id decides
        record = Record.objects.order_by("updated_at", "pk")[100]
        since = selectors.FeedPosition(record.updated_at, record.pk)
    plan = query_plan(selectors.changes_query(since)[:20])
    if connection.vendor == "sqlite":
        assert "SEARCH records_record USING INDEX record_changed_idx (updated_at>?)" in plan, plan
        assert "SCAN records_record" not in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # read in index order: no sort
    else:
        assert "Index Scan using record_changed_idx on records_record" in plan, plan
        assert "Index Cond: ((ROW(updated_at, id) > ROW(" in plan, plan
        assert "Seq Scan on records_record" not in plan, plan


def test_openapi_documents_public_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/public/records" in paths and "/api/v1/public/changes" in paths


def test_clock_is_used(db):
    assert clock.today() == dt.date(2025, 10, 9)
