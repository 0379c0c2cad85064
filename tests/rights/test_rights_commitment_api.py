"""`POST /api/v1/commitments` and its fulfilment, with a department token:
status codes, bodies and the error shape."""

import pytest

from orgs.factories import ApiTokenFactory
from rights.factories import COMPANY_USCC, PERSON_ID
from xinyong.records.models import Record
from xinyong.rights.models import Commitment

pytestmark = pytest.mark.django_db

URL = "/api/v1/commitments"


@pytest.fixture
def token(department):
    return ApiTokenFactory(department=department)


def post(client, url, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.secret}"} if token else {}
    return client.post(url, body, content_type="application/json", **headers)


def company_body(**kwargs):
    body = {
        "type": "approval",
        "signer": {
            "kind": "legal",
            "name": "神农架林区某某建材有限公司",
            "code": COMPANY_USCC,
            "phone": "0719-3331234",
            "contact_name": "李四",
        },
        "matter": "申请食品经营许可（告知承诺制）",
    }
    return {**body, **kwargs}


def test_record_then_fulfil(client, token, department):
    response = post(client, URL, company_body(), token)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["number"].startswith("CN") and out["status"] == "signed"
    assert out["status_text"] == "履约中" and out["published"] is False
    assert out["text_version"] == 1
    c = Commitment.objects.get(number=out["number"])
    assert c.department == department and c.channel == "api"
    decided = post(
        client,
        f"{URL}/{out['number']}/fulfilment",
        {"outcome": "fulfilled", "facts": "已按期补交证明材料"},
        token,
    )
    assert decided.status_code == 200 and decided.json()["status_text"] == "已履约"
    again = post(
        client, f"{URL}/{out['number']}/fulfilment", {"outcome": "breached", "facts": "x"}, token
    )
    assert again.status_code == 409 and again.json()["code"] == "wrong_status"


def test_breach_through_the_api_answers_the_record(client, token):
    number = post(client, URL, company_body(type="repair"), token).json()["number"]
    out = post(
        client,
        f"{URL}/{number}/fulfilment",
        {"outcome": "breached", "facts": "承诺期内再次发生同类违法行为"},
        token,
    ).json()
    assert out["status"] == "breached"
    assert Record.objects.get(pk=out["breach_record_id"]).item.code == "WBXYCN"


def test_without_a_token_401(client):
    response = post(client, URL, company_body())
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_bad_bodies_are_422_in_chinese(client, token):
    bad_type = post(client, URL, company_body(type="whatever"), token)
    assert bad_type.status_code == 422 and set(bad_type.json()) >= {"code", "message", "details"}
    bad_code = post(
        client,
        URL,
        company_body(
            signer={
                "kind": "person",
                "name": "张三丰",
                "code": PERSON_ID[:-1] + "0",
                "phone": "13800000000",
            }
        ),
        token,
    )
    assert bad_code.status_code == 422
    assert "居民身份证号码" in bad_code.json()["message"]
    future = post(client, URL, company_body(signed_on="2999-01-01"), token)
    assert future.status_code == 400
    assert "签署日期" in future.json()["message"]
    assert not Commitment.objects.exists()


def test_another_department_cannot_decide(client, token, other_department):
    number = post(client, URL, company_body(), token).json()["number"]
    other = ApiTokenFactory(department=other_department)
    response = post(
        client, f"{URL}/{number}/fulfilment", {"outcome": "fulfilled", "facts": "x"}, other
    )
    assert response.status_code == 404
    assert (
        post(
            client, f"{URL}/CN-nope/fulfilment", {"outcome": "fulfilled", "facts": "x"}, token
        ).status_code
        == 404
    )
