"""Issue 12.1: a tightening of the catalog reaches records already
published, on every public path (record page, CSV, open-data API, change
feed)."""

import json

import pytest

from portal.portal_support import LEGAL_REP_ID
from support.exports import download_csv
from support.ingest_files import penalty_row
from xinyong.catalog.services import catalog_field_update
from xinyong.records.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

MASKED = LEGAL_REP_ID[:4] + "*" * 10 + LEGAL_REP_ID[-4:]


def _public_paths(client, record: Record) -> dict[str, str]:
    page = client.get(f"/shuanggongshi/penalties/{record.pk}/")
    # Before the worker rebuilds the CSV after a change of the catalog, the old
    # file is not served (503: being prepared); then the new one is.
    before_rebuild = client.get("/shuanggongshi/penalties.csv")
    assert before_rebuild.status_code == 503
    api = client.get("/api/v1/public/records", {"item": "XZCF"})
    # The feed from its start: the record as a reader of the feed fetches it now.
    feed = client.get("/api/v1/public/changes", {"since": "2000-01-01T00:00:00+08:00"})
    assert page.status_code == api.status_code == feed.status_code == 200
    assert [c["record_id"] for c in feed.json()["changes"]] == [record.pk]
    return {
        "page": page.content.decode(),
        "csv": download_csv(client, "penalties"),
        "api": json.dumps(api.json(), ensure_ascii=False),
        "feed": json.dumps(feed.json(), ensure_ascii=False),
    }


def test_masking_the_current_item_masks_records_published_under_an_open_version(
    client, submit, xzcf, admin_user
):
    field = xzcf.fields.get(key="legal_rep_id_number")
    catalog_field_update(
        actor=admin_user,
        field=field,
        changes={"is_public": True, "masking": ""},
        note="法定代表人证件号码公开（测试）",
    )
    submit(xzcf, [penalty_row(1, **{"法定代表人证件号码": LEGAL_REP_ID})])
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    opened = record.version_id
    for path, text in _public_paths(client, record).items():
        assert LEGAL_REP_ID in text, path  # published in clear under that version

    field.refresh_from_db()
    catalog_field_update(actor=admin_user, field=field, changes={"masking": "id_number"})

    record.refresh_from_db()
    assert record.version_id == opened  # the record keeps its version
    for path, text in _public_paths(client, record).items():
        assert LEGAL_REP_ID not in text, path
        assert MASKED in text, path


def test_making_a_field_not_public_takes_it_off_published_records(client, submit, xzcf, admin_user):
    field = xzcf.fields.get(key="legal_rep_id_number")
    catalog_field_update(
        actor=admin_user, field=field, changes={"is_public": True, "masking": ""}, note="公开"
    )
    submit(xzcf, [penalty_row(1, **{"法定代表人证件号码": LEGAL_REP_ID})])
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    field.refresh_from_db()
    catalog_field_update(actor=admin_user, field=field, changes={"is_public": False})
    for path, text in _public_paths(client, record).items():
        assert LEGAL_REP_ID not in text and MASKED not in text, path


def test_marking_the_name_field_as_the_subject_name_again_masks_a_persons_name(
    client, submit, xzcf, admin_user
):
    from portal.portal_support import person_penalty_row

    name = xzcf.fields.get(key="subject_name")
    catalog_field_update(
        actor=admin_user, field=name, changes={"role": ""}, note="试行：名称不作主体名称"
    )
    submit(xzcf, [person_penalty_row(1, **{"行政相对人名称": "欧阳娜娜"})])
    record = Record.objects.get()
    assert "欧阳娜娜" in client.get(f"/shuanggongshi/penalties/{record.pk}/").content.decode()

    name.refresh_from_db()
    catalog_field_update(actor=admin_user, field=name, changes={"role": "subject_name"})
    for path, text in _public_paths(client, record).items():
        assert "欧阳娜娜" not in text, path
        assert "欧***" in text, path


def test_the_subject_page_applies_the_current_disclosure_too(client, submit, xzcf, admin_user):
    submit(xzcf, [penalty_row(1)])
    record = Record.objects.get()
    page = f"/subjects/{record.subject_id}/"
    assert record.doc_number in client.get(page).content.decode()
    field = xzcf.fields.get(key="doc_number")
    catalog_field_update(actor=admin_user, field=field, changes={"is_public": False})
    assert record.doc_number not in client.get(page).content.decode()
