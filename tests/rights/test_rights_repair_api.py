"""`POST /api/v1/public/repairs` (the objection's body plus `commitment`):
201 with the number and the secret when eligible, 422 with the Chinese
reason and the day otherwise; the status by number and secret."""

import datetime as dt

import pytest

from rights.factories import COMPANY_USCC, company
from rights.repair_factories import negative_record
from xinyong.rights import services
from xinyong.rights.models import Repair

URL = "/api/v1/public/repairs"


@pytest.fixture
def record(department, xzcf):
    return negative_record(department=department, subject=company(), decided=dt.date(2025, 1, 2))


def body(record, commitment=True, **applicant):
    return {
        "record_id": record.pk,
        "applicant": {
            "name": "神农架林区某某建材有限公司",
            "kind": "legal",
            "code": COMPANY_USCC,
            "phone": "0719-3331234",
            **applicant,
        },
        "reason": "罚款已缴清，违法行为已改正",
        "commitment": commitment,
    }


def test_not_yet_eligible_is_422_with_the_date(client, record, pin_today):
    pin_today("2025-03-01")
    r = client.post(URL, body(record), content_type="application/json")
    assert r.status_code == 422
    out = r.json()
    assert set(out) == {"code", "message", "details"}
    assert out["code"] == "not_eligible"
    assert "最短公示期尚未届满" in out["message"] and "2025-04-03" in out["message"]
    assert out["details"]["eligible_from"] == "2025-04-03"


def test_file_then_read_status(client, record, clerk, pin_today):
    pin_today("2025-06-03")
    r = client.post(URL, body(record), content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert set(out) == {"number", "secret", "status"}
    assert out["status"] == "待受理" and out["number"].startswith("XF")
    status_url = f"/api/v1/public/applications/{out['number']}"
    s = client.get(status_url, {"secret": out["secret"]}).json()
    assert (s["kind"], s["status_text"], s["record_id"]) == ("repair", "待受理", record.pk)
    assert client.get(status_url, {"secret": "guess"}).status_code == 404

    repair = Repair.objects.get(number=out["number"])
    services.repair_accept(actor=clerk, repair=repair)
    services.repair_reject(actor=clerk, repair=repair, reason="未提供缴款凭证")
    s = client.get(status_url, {"secret": out["secret"]}).json()
    assert s["status_text"] == "不予修复" and s["reply"] == "未提供缴款凭证"
    assert "行政复议" in s["remedies"]


def test_commitment_false_and_missing(client, record, pin_today):
    pin_today("2025-06-03")
    r = client.post(URL, body(record, commitment=False), content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "commitment_required"
    assert "承诺书" in r.json()["message"]
    without = body(record)
    del without["commitment"]
    r = client.post(URL, without, content_type="application/json")
    assert r.status_code == 422
    assert "commitment" in r.json()["message"]


def test_twice_is_409_and_unknown_record_404(client, record, pin_today):
    pin_today("2025-06-03")
    assert client.post(URL, body(record), content_type="application/json").status_code == 201
    r = client.post(URL, body(record), content_type="application/json")
    assert r.status_code == 409 and "正在办理中" in r.json()["message"]
    gone = {**body(record), "record_id": record.pk + 1000}
    assert client.post(URL, gone, content_type="application/json").status_code == 404


def test_identity_mismatch(client, record, pin_today):
    pin_today("2025-06-03")
    r = client.post(URL, body(record, code="91350200776049653A"), content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "identity_mismatch"
