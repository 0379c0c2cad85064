"""公务员诚信档案 and 个人诚信 records: read only by the department named for
each item and the credit office ("not found" to every other department) on
the staff record page, the integrity file page and the API; every read
audited; never on a public path (portal pages, search, open-data API, CSV,
change feed) nor in another department's check answer."""

import datetime as dt

import pytest
from django.urls import reverse

from integrity.conftest import OUTSIDERS, PERSON_ID, PERSON_NAME, READERS
from orgs.factories import ApiTokenFactory, token_secret
from support.exports import download_csv
from xinyong.core.models import AuditLog
from xinyong.records.models import Record
from xinyong.sanctions.selectors import serious_records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

DEPARTMENTS = sorted(set(READERS.values())) + list(OUTSIDERS)


@pytest.fixture
def on_day(pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))


def _views(action: str) -> int:
    return AuditLog.objects.filter(action=action).count()


@pytest.mark.parametrize("item_code", sorted(READERS))
def test_record_page_only_for_its_readers_and_each_read_audited(
    item_code, submit_integrity, officers, credit_admin, client_as
):
    (record,) = submit_integrity(item_code)
    url = reverse("records:detail", args=[record.pk])
    for code in DEPARTMENTS:
        before = _views("record.view_restricted")
        response = client_as(officers[code]).get(url)
        if code == READERS[item_code]:
            assert response.status_code == 200, code
            assert f"{item_code}失信事项1" in response.content.decode()
            row = AuditLog.objects.filter(action="record.view_restricted").latest("pk")
            assert row.object_id == str(record.pk) and row.actor_id == officers[code].pk
            assert _views("record.view_restricted") == before + 1
        else:
            assert response.status_code == 404, code
            assert _views("record.view_restricted") == before
    before = _views("record.view_restricted")
    assert client_as(credit_admin).get(url).status_code == 200
    assert _views("record.view_restricted") == before + 1


@pytest.mark.parametrize("item_code", sorted(READERS))
def test_integrity_file_page_only_for_its_readers(
    item_code, submit_integrity, officers, credit_admin, client_as
):
    (record,) = submit_integrity(item_code)
    url = reverse("integrity:person_file", args=[record.subject_id])
    for code in DEPARTMENTS:
        before = _views("integrity_file.view")
        response = client_as(officers[code]).get(url)
        if code == READERS[item_code]:
            assert response.status_code == 200, code
            text = response.content.decode()
            assert record.doc_number in text and "4290**********" in text
            assert PERSON_ID not in text
            assert _views("integrity_file.view") == before + 1
        else:
            assert response.status_code == 404, code
            assert _views("integrity_file.view") == before
    assert client_as(credit_admin).get(url).status_code == 200


def test_the_file_lists_only_the_groups_the_viewer_reads(all_groups, officers, client_as):
    subject_id = all_groups["GRCX_JS"].subject_id
    response = client_as(officers["jiaoyu"]).get(
        reverse("integrity:person_file", args=[subject_id])
    )
    text = response.content.decode()
    assert "GRCX_JS-2025-0001" in text
    for other in set(READERS) - {"GRCX_JS"}:
        assert f"{other}-2025-0001" not in text
    row = AuditLog.objects.filter(action="integrity_file.view").latest("pk")
    assert row.after["records"] == [all_groups["GRCX_JS"].pk]


def test_lookup_by_id_number_finds_the_person(all_groups, officers, client_as):
    response = client_as(officers["zzb"]).get(
        reverse("integrity:person_lookup"), {"id_number": PERSON_ID}
    )
    assert response.status_code == 302
    assert response.url == reverse(
        "integrity:person_file", args=[all_groups["GWY_CXDA"].subject_id]
    )


@pytest.mark.parametrize("item_code", ["GWY_CXDA", "GRCX_YS"])
def test_api_only_for_its_readers(item_code, submit_integrity, readers, client):
    (record,) = submit_integrity(item_code)
    for code in DEPARTMENTS:
        token = ApiTokenFactory(department=readers[code])
        before = _views("integrity_file.view")
        response = client.post(
            "/api/v1/integrity/people",
            {"id_number": PERSON_ID},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token_secret(token.prefix)}"},
        )
        if code == READERS[item_code]:
            assert response.status_code == 200, response.json()
            body = response.json()
            assert [r["doc_number"] for r in body["records"]] == [record.doc_number]
            assert body["id_masked"].startswith("4290") and PERSON_ID not in str(body)
            row = AuditLog.objects.filter(action="integrity_file.view").latest("pk")
            assert row.actor_token_id == token.pk
            assert _views("integrity_file.view") == before + 1
        else:
            assert response.status_code == 404, code
            assert set(response.json()) == {"code", "message", "details"}
            assert _views("integrity_file.view") == before


def test_identifiers_are_stored_as_the_hardening_issue_does(all_groups):
    record = all_groups["GRCX_LS"]
    assert record.data["id_number"] != PERSON_ID and "*" in record.data["id_number"]
    subject = record.subject
    assert (
        subject.kind == "person" and subject.id_encrypted and PERSON_ID not in subject.id_encrypted
    )
    for record in Record.objects.filter(subject=subject):
        assert PERSON_ID not in str(record.data)


def test_never_on_a_public_path(all_groups, client):
    records = list(all_groups.values())
    secrets = [PERSON_NAME, *[r.doc_number for r in records], *[r.data["content"] for r in records]]
    subject_id = records[0].subject_id

    def assert_absent(text: str) -> None:
        for secret in secrets:
            assert secret not in text, secret

    assert not Record.objects.publicly_visible().filter(pk__in=[r.pk for r in records]).exists()
    assert {r.published_on for r in Record.objects.filter(pk__in=[r.pk for r in records])} == {None}
    page = client.get(reverse("portal:subject", args=[subject_id]))
    assert page.status_code in (200, 404)
    assert_absent(page.content.decode())
    for kind in ("penalties", "licences"):
        assert_absent(client.get(reverse("portal:record_list", args=[kind])).content.decode())
        assert_absent(download_csv(client, kind))
    for record in records:
        for kind in ("penalties", "licences"):
            response = client.get(reverse("portal:record_detail", args=[kind, record.pk]))
            assert response.status_code == 404
    search = client.get("/search/", {"q": PERSON_NAME}).content.decode()
    assert reverse("portal:subject", args=[subject_id]) not in search  # the query is echoed only
    assert_absent(search.replace(f"“{PERSON_NAME}”", "").replace(f'value="{PERSON_NAME}"', ""))
    for params in ({}, {"item": "XZCF"}, {"item": "XZXK"}, {"q": PERSON_NAME}):
        response = client.get("/api/v1/public/records", params)
        assert response.status_code in (200, 422), response.content[:200]
        assert_absent(response.content.decode("utf-8"))
    # Only the open-data items may be asked for: a restricted item is refused.
    response = client.get("/api/v1/public/records", {"item": "GWY_CXDA"})
    assert response.status_code == 422
    feed = client.get("/api/v1/public/changes", {"since": "2025-01-01T00:00:00+08:00"})
    assert feed.status_code == 200
    assert feed.json()["changes"] == []
    assert_absent(feed.content.decode("utf-8"))


def test_never_in_another_departments_check_answer(all_groups):
    record = all_groups["GWY_CXDA"]
    # Even if a record of a restricted item carried the serious tier, the
    # check's serious records (shown to any checking department) skip it.
    Record.objects.filter(pk=record.pk).update(disclosure_tier="serious")
    assert serious_records(subject_ids=[record.subject_id], on=dt.date(2025, 10, 9)) == {}
