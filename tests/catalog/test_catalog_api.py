"""The catalog API router (mounted by the lead in xinyong.api)."""

import pytest
from ninja.testing import TestClient

from xinyong.catalog.api import router
from xinyong.core.errors import NotFoundError
from xinyong.orgs import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return TestClient(router)


def _token(actor, department) -> str:
    _token, secret = org_services.api_token_create(actor=actor, department=department, name="对接")
    return secret


def test_items_of_the_tokens_department(api_client, admin_user, xzcf, department):
    response = api_client.get(
        "/catalog/items", headers={"Authorization": f"Bearer {_token(admin_user, department)}"}
    )
    assert response.status_code == 200
    assert [i["code"] for i in response.json()] == ["XZCF"]
    assert response.json()[0]["version"] == 1


def test_item_schema(api_client, admin_user, xzcf, department, other_department):
    headers = {"Authorization": f"Bearer {_token(admin_user, department)}"}
    response = api_client.get("/catalog/items/xzcf", headers=headers)
    body = response.json()
    assert response.status_code == 200
    assert body["code"] == "XZCF" and body["version"] == 1
    assert body["schema"]["fields"][0]["label"] == "行政相对人名称"
    # The router alone raises; xinyong.api turns NotFoundError into a 404 JSON error.
    with pytest.raises(NotFoundError):
        api_client.get("/catalog/items/XZXK", headers=headers)
    other = {"Authorization": f"Bearer {_token(admin_user, other_department)}"}
    with pytest.raises(NotFoundError):
        api_client.get("/catalog/items/XZCF", headers=other)


def test_needs_a_token(api_client):
    assert api_client.get("/catalog/items").status_code == 401
