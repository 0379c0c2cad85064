"""Bad requests answer 4xx with a Chinese message, never 500 (issue 12, item 7)."""

import json

import pytest
from django.test import Client

from support.exports import download
from support.ingest_files import penalty_row
from xinyong.orgs import services as org_services

pytestmark = pytest.mark.django_db

HUGE = "9" * 23  # beyond any 64-bit integer column
BIG = str(2**63 - 1)  # the largest id a BigAutoField holds: no row, a plain 404
BEYOND_INT4 = str(2**31)  # past a 32-bit column (PostgreSQL integer): version numbers


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def staff(clerk):
    client = Client(raise_request_exception=False)
    client.force_login(clerk)
    return client


@pytest.fixture
def token(admin_user, department, xzcf):
    _token, secret = org_services.api_token_create(
        actor=admin_user, department=department, name="处罚系统"
    )
    return secret


def _api_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert chinese(body["message"]), body
    return body


def test_nul_byte_in_a_search_is_a_4xx(anonymous):
    response = anonymous.get("/search/?q=神%00农")
    assert 400 <= response.status_code < 500
    assert chinese(response.content.decode())


@pytest.mark.parametrize(
    "path",
    [
        f"/subjects/{HUGE}/",
        f"/shuanggongshi/penalties/{HUGE}/",
        f"/articles/{HUGE}/",
        f"/subjects/{BIG}/",
        f"/shuanggongshi/penalties/{BIG}/",
    ],
)
def test_a_huge_id_on_the_portal_is_404(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 404
    assert chinese(response.content.decode())


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/subjects/{HUGE}/",
        f"/staff/records/{HUGE}/",
        f"/staff/ingest/batches/{HUGE}/",
        f"/staff/ingest/batches/{HUGE}/errors.xlsx",
        f"/staff/catalog/XZCF/versions/{HUGE}/",
        f"/staff/catalog/XZCF/versions/{BEYOND_INT4}/",
        f"/staff/catalog/XZCF/versions/{BEYOND_INT4}/diff/",
        f"/staff/subjects/{BIG}/",
        f"/staff/records/{BIG}/",
    ],
)
def test_a_huge_id_on_the_staff_pages_is_404(staff, xzcf, path):
    assert staff.get(path).status_code == 404


def test_a_huge_subject_filter_is_ignored_not_500(anonymous):
    response = anonymous.get("/shuanggongshi/penalties/", {"subject": HUGE})
    assert response.status_code in (200, 400)
    # The CSV is the worker's file: filters other than the department are not applied.
    assert download(anonymous, "penalties", subject=HUGE).status_code == 200


@pytest.mark.parametrize("since", ["0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31"])
def test_an_extreme_since_is_answered(anonymous, since):
    response = anonymous.get("/api/v1/public/changes", {"since": since})
    assert response.status_code in (200, 422), response.content[:300]
    if response.status_code == 422:
        _api_shape(response, 422)


def test_a_cursor_with_a_huge_id_is_422(anonymous):
    import base64

    cursor = base64.urlsafe_b64encode(f"2025-01-01T00:00:00+00:00|{HUGE}".encode()).decode()
    _api_shape(anonymous.get("/api/v1/public/changes", {"since": cursor}), 422)
    _api_shape(anonymous.get("/api/v1/public/records", {"cursor": HUGE}), 422)


def test_a_huge_batch_id_is_4xx(anonymous, token):
    response = anonymous.get(f"/api/v1/batches/{HUGE}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (404, 422)
    _api_shape(response, response.status_code)


def test_a_lone_surrogate_in_api_json_is_422(anonymous, token):
    body = '[{"行政相对人名称": "\\ud800"}]'
    response = anonymous.post(
        "/api/v1/items/XZCF/records",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    _api_shape(response, 422)


def test_an_api_body_over_the_limit_is_413_with_the_limit_and_the_rows(anonymous, token):
    row = penalty_row(1)
    rows = [row] * 3500
    body = json.dumps(rows, ensure_ascii=False).encode()
    assert len(body) > 2_621_440
    response = anonymous.post(
        "/api/v1/items/XZCF/records",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    result = _api_shape(response, 413)
    assert result["code"] == "request_too_large"
    assert "2.5 MB" in result["message"] or "2621440" in result["message"]
    assert result["details"]["max_bytes"] == 2_621_440
    assert str(result["details"]["max_records"]) in result["message"]


@pytest.mark.parametrize("reason", ["决定被撤销\\u0000", "决定被\\u202e撤销", "\\ud800"])
def test_hidden_characters_in_a_withdrawal_are_422_with_the_field(anonymous, token, reason):
    # JSON escapes, as a client sends them: the body itself is valid UTF-8.
    body = '{"key": "神市监罚〔2025〕1号", "reason": "' + reason + '", "kind": "revoked"}'
    response = anonymous.post(
        "/api/v1/items/XZCF/withdrawals",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    result = _api_shape(response, 422)
    assert result["details"][0]["field"] == "reason"
    assert chinese(result["details"][0]["error"]), result


def test_a_body_that_is_not_json_is_400_in_chinese(anonymous, token):
    response = anonymous.post(
        "/api/v1/items/XZCF/withdrawals",
        b'{"key": "\x00',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert _api_shape(response, 400)["code"] == "invalid_json"


@pytest.mark.parametrize(
    "path",
    ["/shuanggongshi/penalties/", "/shuanggongshi/licences/", "/search/", "/news/"],
)
def test_a_huge_page_number_is_answered(anonymous, path):
    response = anonymous.get(path, {"q": "林海", "page": HUGE})
    assert response.status_code in (200, 404), response.status_code
