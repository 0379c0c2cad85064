"""Every API error has one shape: {"code", "message", "details"}, message in Chinese."""

import json

import pytest

from xinyong.orgs import services

pytestmark = pytest.mark.django_db


def _assert_shape(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
    return body


def test_missing_token_is_401_with_shape(client):
    body = _assert_shape(client.get("/api/v1/me"), 401)
    assert body["code"] == "unauthorized"


def test_wrong_token_is_401(client):
    _assert_shape(client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer xy_nope_nope"), 401)


def test_token_identifies_its_department(client, admin_user, department):
    _token, secret = services.api_token_create(actor=admin_user, department=department, name="对接")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["short_code"] == "scjg"


def test_unknown_route_is_404_with_shape(client):
    _assert_shape(client.get("/api/v1/no-such-thing"), 404)


def test_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"].startswith("信用")
    assert "/api/v1/codes/{code}" in doc["paths"]
    json.dumps(doc)


def test_wrong_method_is_405_with_shape(client):
    body = _assert_shape(client.get("/api/v1/items/XZCF/records"), 405)
    assert body["code"] == "method_not_allowed" and "POST" in body["message"]


def test_bad_query_parameter_is_422_with_chinese_reason(client):
    body = _assert_shape(client.get("/api/v1/public/records", {"limit": "abc"}), 422)
    assert body["details"][0]["field"] == "limit"
    assert body["details"][0]["error"] == "应为整数"
