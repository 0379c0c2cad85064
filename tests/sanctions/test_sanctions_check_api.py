"""`POST /api/v1/checks` with a department's token: status codes, bodies, error shape."""

import pytest

from lists.factories import ListEntryFactory
from orgs.factories import ApiTokenFactory, token_secret
from sanctions.factories import COMPANY_USCC, PERSON_ID
from xinyong.core.models import AuditLog
from xinyong.lists.models import ListType
from xinyong.sanctions.models import Check

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, department):
    token = ApiTokenFactory(department=department)
    secret = token_secret(token.prefix)

    def send(body):
        return client.post(
            "/api/v1/checks",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )

    send.token = token
    return send


def test_a_check_by_uscc(post, company, company_on_sxbzx, department):
    response = post({"uscc": COMPANY_USCC, "domain": "zbtb", "matter": "招标项目 2026-07"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["query"] == COMPANY_USCC and body["domain"] == "ZBTB"
    [hit] = body["hits"]
    assert hit["list"]["code"] == "SXBZX"
    assert hit["matched_by"] == {
        "method": "uscc",
        "label": "统一社会信用代码",
        "query_value": COMPANY_USCC,
        "entry_value": COMPANY_USCC,
        "needs_review": False,
    }
    assert {m["domain"] for m in hit["measures"]} == {"ZBTB"}
    check = Check.objects.get(pk=body["check_id"])
    assert check.token == post.token and check.department == department
    assert check.channel == "api" and check.matter == "招标项目 2026-07"
    assert body["feedback_due"] == check.feedback_due.isoformat()
    audit = AuditLog.objects.get(action="check.run", object_id=str(check.pk))
    assert audit.actor_token_id == post.token.pk


def test_a_person_by_id_number_is_masked(post, person):
    ListEntryFactory(list_type=ListType.objects.get(code="TQNMGGZ"), subject=person)
    response = post({"id_number": PERSON_ID, "domain": "RYLY", "matter": "招录"})
    assert response.status_code == 200
    assert PERSON_ID not in response.content.decode()
    assert response.json()["hits"][0]["subject"]["id_masked"] == "1101**********002X"


def test_unknown_domain_is_400_listing_the_valid_ones(post, company):
    response = post({"uscc": COMPANY_USCC, "domain": "NOPE", "matter": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_domain" and "XZXK（行政许可）" in body["message"]
    assert {"code": "RCJG", "name": "日常监管"} in body["details"]["valid"]


def test_malformed_code_alone_is_400_with_the_reason(post):
    response = post({"uscc": "91110000600037341X", "domain": "ZFCG", "matter": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_code" and "校验" in body["message"]


def test_malformed_code_with_a_name_still_checks_the_name(post, company, wages_entry):
    response = post(
        {"uscc": "9111000060003734", "name": company.name, "domain": "ZFCG", "matter": "x"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["problems"][0]["field"] == "uscc" and "18" in body["problems"][0]["message"]
    assert body["needs_review"] and body["hits"][0]["review_label"] == "需人工核实"


def test_no_token_is_401(client):
    response = client.post(
        "/api/v1/checks",
        {"name": "x", "domain": "ZFCG", "matter": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_missing_domain_is_422_naming_it(post):
    response = post({"name": "某公司", "matter": "x"})
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "domain"


def test_empty_query_is_400(post):
    response = post({"domain": "ZFCG", "matter": "x"})
    assert response.status_code == 400 and response.json()["code"] == "query_required"
