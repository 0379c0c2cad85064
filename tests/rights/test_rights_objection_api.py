"""`POST /api/v1/public/objections` and `GET /api/v1/public/applications/{number}`:
the exact shapes, the error shape in Chinese, 404 for a wrong secret, the
per-address limit, and the mark in `/api/v1/public/records`."""

from django.test import override_settings

from rights.factories import COMPANY_USCC
from xinyong.rights import services
from xinyong.rights.models import Objection

URL = "/api/v1/public/objections"


def body(record, **applicant):
    return {
        "record_id": record.pk,
        "applicant": {
            "name": "神农架林区某某建材有限公司",
            "kind": "legal",
            "code": COMPANY_USCC,
            "phone": "0719-3331234",
            **applicant,
        },
        "reason": "该处罚已被复议撤销",
    }


def test_file_then_read_status(client, record):
    r = client.post(URL, body(record), content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert set(out) == {"number", "secret", "status"}
    assert out["status"] == "待受理"
    s = client.get(f"/api/v1/public/applications/{out['number']}", {"secret": out["secret"]})
    assert s.status_code == 200
    assert s.json()["status_text"] == "待受理"
    assert s.json()["record_id"] == record.pk
    wrong = client.get(f"/api/v1/public/applications/{out['number']}", {"secret": "guess"})
    assert wrong.status_code == 404
    assert set(wrong.json()) == {"code", "message", "details"}
    assert "查询密码" in wrong.json()["message"]
    assert client.get(f"/api/v1/public/applications/{out['number']}").status_code == 404


def test_identity_mismatch_is_422_in_chinese(client, record):
    r = client.post(URL, body(record, code="91420000316573440B"), content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] in {"identity_mismatch", "invalid_code"}
    assert "证件号码" in r.json()["message"] or "身份" in r.json()["message"]


def test_bad_kind_and_unknown_record(client, record):
    r = client.post(URL, body(record, kind="robot"), content_type="application/json")
    assert r.status_code == 422
    assert r.json()["message"].startswith("请求参数有误：applicant.kind")
    gone = {**body(record), "record_id": record.pk + 1000}
    r = client.post(URL, gone, content_type="application/json")
    assert r.status_code == 404
    assert r.json()["message"] == "未找到该公示记录"


@override_settings(XINYONG_OBJECTION_RATE=2)
def test_filing_is_limited_per_address(client, record):
    bad = body(record, code="91420000316573440B")
    codes = [client.post(URL, bad, content_type="application/json").status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    r = client.post(URL, body(record), content_type="application/json")
    assert r.status_code == 429
    assert "频繁" in r.json()["message"]
    assert not Objection.objects.exists()


def test_the_mark_appears_in_the_open_data_then_disappears(client, record, office_user, clerk):
    def disputed() -> bool:
        rows = client.get("/api/v1/public/records").json()["items"]
        return next(row["disputed"] for row in rows if row["id"] == record.pk)

    out = client.post(URL, body(record), content_type="application/json").json()
    o = Objection.objects.get(number=out["number"])
    assert disputed() is False
    services.objection_accept(actor=office_user, objection=o)
    assert disputed() is True
    services.objection_route(actor=office_user, objection=o)
    services.objection_verify(actor=clerk, objection=o, outcome="upheld", note="记录无误")
    services.objection_close(actor=office_user, objection=o, reply="予以维持")
    assert disputed() is False
    status = client.get(f"/api/v1/public/applications/{out['number']}", {"secret": out["secret"]})
    assert status.json()["status_text"] == "已办结"
    assert status.json()["reply"] == "予以维持"


def test_the_change_feed_carries_the_mark(client, record, office_user, clerk):
    """Setting or clearing the mark moves the record's `updated_at`, so a
    mirror reading `/api/v1/public/changes` learns it."""

    def last_disputed(since: str) -> tuple[bool, str]:
        page = client.get("/api/v1/public/changes", {"since": since}).json()
        rows = [c for c in page["changes"] if c["record_id"] == record.pk]
        return rows[-1]["record"]["disputed"], page["next_cursor"]

    first = client.get("/api/v1/public/changes", {"since": "2000-01-01T00:00:00+08:00"}).json()
    cursor = first["next_cursor"]
    out = client.post(URL, body(record), content_type="application/json").json()
    o = Objection.objects.get(number=out["number"])
    services.objection_accept(actor=office_user, objection=o)
    disputed, cursor = last_disputed(cursor)
    assert disputed is True
    services.objection_route(actor=office_user, objection=o)
    services.objection_verify(actor=clerk, objection=o, outcome="upheld", note="记录无误")
    services.objection_close(actor=office_user, objection=o, reply="予以维持")
    disputed, _cursor = last_disputed(cursor)
    assert disputed is False


def test_status_lookups_are_limited_per_address(client, record, settings):
    # A secret cannot be guessed at speed: the page and the API share the search limit.
    settings.RATE_LIMITS = {"search": (3, 60)}
    out = client.post(URL, body(record), content_type="application/json").json()
    url = f"/api/v1/public/applications/{out['number']}"
    codes = [client.get(url, {"secret": "guess"}).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    refused = client.get(url, {"secret": out["secret"]})
    assert refused.status_code == 429 and "过于频繁" in refused.json()["message"]
    page = client.post("/applications/", {"number": out["number"], "secret": out["secret"]})
    assert page.status_code == 429 and "过于频繁" in page.content.decode()
