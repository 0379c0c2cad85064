"""The admin for the catalog's reference data follows the same rules."""

import json

import pytest

from xinyong.catalog import services
from xinyong.catalog.models import CatalogItem, CodeList
from xinyong.core.models import AuditLog
from xinyong.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests-123", role="credit_admin")


def test_admin_pages_render(client_as, superuser):
    client = client_as(superuser)
    xzcf = CatalogItem.objects.get(code="XZCF")
    for url in (
        "/admin/catalog/catalogitem/",
        f"/admin/catalog/catalogitem/{xzcf.pk}/change/",
        "/admin/catalog/codelist/",
        "/admin/catalog/catalogitemversion/",
        f"/admin/catalog/catalogitemversion/{xzcf.current_version_id}/change/",
    ):
        assert client.get(url).status_code == 200, url


def test_code_list_change_in_admin_republishes(client_as, superuser):
    code_list = CodeList.objects.get(code="license_status")
    response = client_as(superuser).post(
        f"/admin/catalog/codelist/{code_list.pk}/change/",
        {
            "name": "当前状态",
            "values": json.dumps(["有效", "无效", "过期"], ensure_ascii=False),
            "prefixes": "[]",
            "legal_basis": code_list.legal_basis,
        },
    )
    assert response.status_code == 302
    xzxk = CatalogItem.objects.get(code="XZXK")
    assert xzxk.current_version.number == 2
    status = {f["key"]: f for f in xzxk.current_version.schema["fields"]}["status"]
    assert status["choices"] == ["有效", "无效", "过期"]
    assert AuditLog.objects.filter(action="code_list.update", actor=superuser).exists()


def test_code_list_admin_refuses_duplicates(client_as, superuser):
    code_list = CodeList.objects.get(code="license_status")
    response = client_as(superuser).post(
        f"/admin/catalog/codelist/{code_list.pk}/change/",
        {"name": "当前状态", "values": '["有效", "有效"]', "prefixes": "[]"},
    )
    assert response.status_code == 200
    assert "取值“有效”重复" in response.content.decode()


def test_versions_are_read_only_in_admin(client_as, superuser):
    xzcf = CatalogItem.objects.get(code="XZCF")
    response = client_as(superuser).post(
        f"/admin/catalog/catalogitemversion/{xzcf.current_version_id}/change/", {"note": "改"}
    )
    assert response.status_code == 403


def _item_post(item, field, **field_changes) -> dict:
    data = {
        "name": item.name,
        "description": item.description,
        "category": item.category,
        "nature": item.nature,
        "disclosure": item.disclosure,
        "submit_within": item.submit_within,
        "submit_unit": item.submit_unit,
        "publish_within_workdays": "",
        "legal_basis": item.legal_basis,
        "key_fields": "[]",
        "is_active": "on",
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "1",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
    }
    values = {
        "id": field.pk,
        "item": item.pk,
        "order": field.order,
        "key": field.key,
        "label": field.label,
        "aliases": json.dumps(field.aliases, ensure_ascii=False),
        "type": field.type,
        "role": field.role,
        "max_length": "",
        "pattern": "",
        "code_list": "",
        "identifier_kind": "",
        "is_public": "on",
        "masking": "",
        "help_text": "",
        **field_changes,
    }
    data.update({f"fields-0-{name}": value for name, value in values.items()})
    return data


@pytest.fixture
def one_field_item(superuser):
    return services.catalog_item_create(
        actor=superuser,
        code="ONE",
        name="单字段事项",
        category="other",
        nature="neutral",
        disclosure="public",
        fields=[{"key": "name", "label": "名称"}],
    )


def test_item_field_change_in_admin_publishes(client_as, superuser, one_field_item):
    item, field = one_field_item, one_field_item.fields.get()
    response = client_as(superuser).post(
        f"/admin/catalog/catalogitem/{item.pk}/change/",
        _item_post(item, field, label="单位名称", required="on"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.current_version.number == 2
    assert item.current_version.schema["fields"][0]["label"] == "单位名称"
    assert item.current_version.schema["fields"][0]["required"] is True


def test_item_admin_checks_fields(client_as, superuser, one_field_item):
    item, field = one_field_item, one_field_item.fields.get()
    response = client_as(superuser).post(
        f"/admin/catalog/catalogitem/{item.pk}/change/",
        _item_post(item, field, pattern="^(\\d"),
    )
    assert response.status_code == 200
    assert "不是有效的正则表达式" in response.content.decode()
    item.refresh_from_db()
    assert item.current_version.number == 1


def test_what_is_public_is_not_changed_in_admin(client_as, superuser, one_field_item):
    """Issue 12.1: disclosure changes go through the staff pages (a loosening
    needs a reason in the version history); the admin shows them read-only."""
    item, field = one_field_item, one_field_item.fields.get()
    data = _item_post(item, field, label="单位名称", is_public="", masking="hidden")
    data["disclosure"] = "government"
    response = client_as(superuser).post(f"/admin/catalog/catalogitem/{item.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    field.refresh_from_db()
    item.refresh_from_db()
    assert field.label == "单位名称"
    assert (field.is_public, field.masking, item.disclosure) == (True, "", "public")
