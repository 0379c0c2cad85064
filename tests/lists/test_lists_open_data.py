"""The open data of lists: list types, entries (public fields only, persons
masked or left out), and the change feed of listings and removals."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory, fed_record
from subjects.factories import SubjectFactory
from xinyong.core.audit import SYSTEM
from xinyong.lists import services
from xinyong.lists.models import ListType
from xinyong.records.services import record_withdraw
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_list_types_with_their_rules(client):
    body = client.get("/api/v1/public/lists").json()
    by_code = {t["code"]: t for t in body}
    assert by_code["TQNMGGZ"]["period"] == "3年"
    assert by_code["TQNMGGZ"]["kind"] == "black"
    assert by_code["NSXYA"]["kind"] == "red"
    assert "法释〔2017〕7号" in by_code["SXBZX"]["legal_basis"]
    assert set(by_code["SXBZX"]) >= {"standard", "early_removal", "removal_procedure", "remedies"}


def test_entries_public_fields_and_pages(client, django_assert_max_num_queries):
    lt = ListTypeFactory(code="PAGED")
    entries = [ListEntryFactory(list_type=lt, reasons="当事人手机13812345678") for _ in range(3)]
    with django_assert_max_num_queries(4):
        first = client.get("/api/v1/public/lists/PAGED/entries?limit=2").json()
    assert [e["entry_id"] for e in first["items"]] == [entries[0].pk, entries[1].pk]
    item = first["items"][0]
    assert item["list"] == "PAGED" and item["document_number"] == entries[0].document_number
    assert "13812345678" not in item["reasons"]  # scrubbed
    assert set(item) == {
        "entry_id",
        "record_id",
        "list",
        "list_name",
        "kind",
        "subject_name",
        "subject_uscc",
        "decider",
        "document_number",
        "listed_on",
        "valid_until",
        "valid_until_text",
        "reasons",
        "removal_conditions",
        "updated_at",
    }
    second = client.get(
        f"/api/v1/public/lists/PAGED/entries?limit=2&cursor={first['next_cursor']}"
    ).json()
    assert [e["entry_id"] for e in second["items"]] == [entries[2].pk]
    assert second["next_cursor"] is None


def test_unpublished_and_ended_entries_are_not_public(client):
    lt = ListTypeFactory(code="HIDE")
    ListEntryFactory(list_type=lt, published_on=None)
    ListEntryFactory(list_type=lt, status="removed")
    ListEntryFactory(list_type=lt, listed_on=dt.date(2020, 1, 1), valid_until=dt.date(2021, 1, 1))
    assert client.get("/api/v1/public/lists/HIDE/entries").json()["items"] == []


def test_persons_only_where_the_basis_allows_and_then_masked(client):
    closed = ListTypeFactory(code="NOPERSON", publish_persons=False)
    open_ = ListTypeFactory(code="PERSONS", publish_persons=True)
    person = SubjectFactory(kind=Subject.Kind.PERSON, name="张三丰", uscc=None)
    ListEntryFactory(list_type=closed, subject=person)
    ListEntryFactory(list_type=open_, subject=person, reasons="张三丰拖欠工资")
    assert client.get("/api/v1/public/lists/NOPERSON/entries").json()["items"] == []
    body = client.get("/api/v1/public/lists/PERSONS/entries").text
    assert "张三丰" not in body
    [item] = client.get("/api/v1/public/lists/PERSONS/entries").json()["items"]
    assert item["subject_name"] == "张**" and item["subject_uscc"] == ""


def test_fed_list_entries_are_the_items_public_records(client, department):
    record = fed_record(department=department)
    [item] = client.get("/api/v1/public/lists/SXBZX/entries").json()["items"]
    assert item["record_id"] == record.pk and item["entry_id"] is None
    assert item["valid_until_text"] == "至法院移除"


def test_unknown_list_and_bad_cursor(client):
    response = client.get("/api/v1/public/lists/NOPE/entries")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.get("/api/v1/public/lists/SXBZX/entries?cursor=-1")
    assert response.status_code == 422
    response = client.get("/api/v1/public/lists/changes?since=garbage")
    assert response.status_code == 422 and response.json()["code"] == "invalid_since"


def test_change_feed_carries_listings_and_removals(client, pin_today, department, admin_user):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))
    listed = ListEntryFactory(decided_by=department)
    record = fed_record(department=department)
    body = client.get("/api/v1/public/lists/changes", {"since": "2025-01-01T00:00:00+08:00"}).json()
    changes = body["changes"]
    assert [(c["change"], c["entry_id"], c["record_id"]) for c in changes] == [
        ("listed", listed.pk, None),
        ("listed", None, record.pk),
    ]
    assert changes[0]["entry"]["document_number"] == listed.document_number
    cursor = body["next_cursor"]
    assert client.get(f"/api/v1/public/lists/changes?since={cursor}").json()["changes"] == []

    pin_today(dt.datetime(2025, 10, 10, 10, 0))
    services.list_entry_revoke(actor=SYSTEM, entry=listed, reason="复议撤销")
    record_withdraw(actor=admin_user, record=record, reason="已履行义务，法院删除")
    body = client.get(f"/api/v1/public/lists/changes?since={cursor}").json()
    assert [(c["change"], c["reason"]) for c in body["changes"]] == [
        ("removed", "revoked"),
        ("removed", "withdrawn"),
    ]
    assert body["changes"][0]["reason_text"] == "复议撤销"
    assert body["changes"][1]["entry"] is None


def test_change_feed_pages_through_both_sources(client, pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))  # every row at the same moment
    entries = [ListEntryFactory() for _ in range(3)]
    records = [fed_record(doc_number=f"(2025)鄂9021执{n}号", record_key=f"k{n}") for n in range(3)]
    seen, since = [], "2025-01-01"
    for _ in range(10):
        body = client.get("/api/v1/public/lists/changes", {"since": since, "limit": 2}).json()
        seen += [(c["entry_id"], c["record_id"]) for c in body["changes"]]
        since = body["next_cursor"]
        if not body["has_more"]:
            break
    assert seen == [(e.pk, None) for e in entries] + [(None, r.pk) for r in records]


def test_expiry_reaches_the_feed_when_the_job_runs(client, pin_today):
    pin_today(dt.datetime(2025, 6, 1, 9, 0))
    entry = ListEntryFactory(listed_on=dt.date(2022, 6, 1), valid_until=dt.date(2025, 5, 31))
    since = "2025-06-01T08:00:00+08:00"
    pin_today(dt.datetime(2025, 6, 1, 10, 0))
    services.list_entries_expire(dt.date(2025, 6, 1))
    [change] = client.get("/api/v1/public/lists/changes", {"since": since}).json()["changes"]
    assert (change["change"], change["reason"], change["entry_id"]) == (
        "removed",
        "expired",
        entry.pk,
    )


def test_an_inactive_or_private_list_type_is_not_open_data(client):
    lt = ListTypeFactory(code="PRIV", is_public=False)
    ListEntryFactory(list_type=lt)
    assert client.get("/api/v1/public/lists/PRIV/entries").status_code == 404
    assert "PRIV" not in {t["code"] for t in client.get("/api/v1/public/lists").json()}
    ListType.objects.filter(code="SXBZX").update(is_active=False)
    assert client.get("/api/v1/public/lists/SXBZX/entries").status_code == 404
