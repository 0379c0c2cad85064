"""`GET /api/v1/codes/{code}`: 200 with the verdict in `valid`, one error shape."""

from urllib.parse import quote

import pytest

from xinyong.core.identifiers import uscc_with_checks

pytestmark = pytest.mark.django_db


def get(client, code: str):
    return client.get("/api/v1/codes/" + quote(code, safe=""))


def test_valid_uscc(client):
    response = get(client, "91110000600037341L")
    assert response.status_code == 200
    assert response.json() == {
        "normalized": "91110000600037341L",
        "kind": "uscc",
        "valid": True,
        "errors": [],
        "parts": {
            "department": {"code": "9", "name": "工商/市场监管"},
            "category": {"code": "1", "name": "企业"},
            "region": {"code": "110000", "name": "北京市"},
            "organization_code": "600037341",
        },
    }


def test_invalid_uscc_is_200_with_reasons(client):
    response = get(client, "91110000600037341X")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["kind"] == "uscc"
    assert body["errors"] == ["第18位校验码应为“L”，实为“X”"]
    assert body["parts"]["region"]["name"] == "北京市"


def test_letter_prefixed_uscc(client):
    code = uscc_with_checks("Y1429021" + "87654321")
    body = get(client, code).json()
    assert body["valid"] is True
    assert body["parts"]["department"] == {"code": "Y", "name": "其他"}


def test_messy_input_is_normalised(client):
    body = get(client, " ９１１１００００６０００３７３４１ｌ ").json()
    assert (body["normalized"], body["valid"]) == ("91110000600037341L", True)


def test_resident_id(client):
    body = get(client, "11010519491231002X").json()
    assert body == {
        "normalized": "11010519491231002X",
        "kind": "resident_id",
        "valid": True,
        "errors": [],
        "parts": {
            "region": {"code": "110105", "name": "北京市朝阳区"},
            "birth_date": "1949-12-31",
            "sex": {"code": "F", "name": "女"},
        },
    }


def test_organization_code_with_hyphen(client):
    body = get(client, "60003734-1").json()
    assert (body["kind"], body["normalized"], body["valid"]) == (
        "organization_code",
        "600037341",
        True,
    )


def test_unknown_code(client):
    body = get(client, "ABC").json()
    assert body["kind"] == "unknown"
    assert body["valid"] is False
    assert body["errors"][0].startswith("无法识别的代码：长度为3位")


def test_too_long_is_an_application_error(client):
    response = get(client, "9" * 65)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "code_too_long"
    assert body["message"] == "代码过长：最多64个字符，实为65个"
    assert body["details"] == {"max_length": 64}


def test_operation_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/codes/{code}"]["get"]
    assert set(operation["responses"]) == {"200", "400"}
