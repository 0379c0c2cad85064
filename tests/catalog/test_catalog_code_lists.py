"""Catalog services: code lists and the versions their changes publish."""

import pytest

from xinyong.catalog import services
from xinyong.catalog.models import CatalogField, CatalogItem, CodeList
from xinyong.core.errors import ApplicationError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def _field(item: CatalogItem, key: str) -> CatalogField:
    return item.fields.select_related("item", "code_list").get(key=key)


# --- code lists -----------------------------------------------------------------


def test_code_list_change_leaves_old_versions_alone(xzcf, admin_user):
    penalty_types = CodeList.objects.get(code="penalty_category")
    old_values = list(penalty_types.values)
    v1 = xzcf.current_version
    published = services.code_list_update(
        actor=admin_user,
        code_list=penalty_types,
        changes={"values": [*old_values, "责令退还"]},
        note="新增类别",
    )
    assert {v.item.code for v in published} == {"XZCF"}
    xzcf.refresh_from_db()
    new_choices = {f["key"]: f for f in xzcf.current_version.schema["fields"]}["penalty_category"]
    assert new_choices["choices"][-1] == "责令退还"
    v1.refresh_from_db()
    assert {f["key"]: f for f in v1.schema["fields"]}["penalty_category"]["choices"] == old_values


def test_code_list_shared_by_items_republishes_each(admin_user):
    id_types = CodeList.objects.get(code="id_type")
    published = services.code_list_update(
        actor=admin_user, code_list=id_types, changes={"prefixes": ["其他-", "其它-"]}
    )
    # Every built-in item with an ID type field: 双公示 and the integrity items (issue 16).
    assert sorted(v.item.code for v in published) == sorted(
        set(CatalogItem.objects.filter(fields__code_list=id_types).values_list("code", flat=True))
    )
    assert {"XZCF", "XZXK", "GWY_CXDA"} <= {v.item.code for v in published}
    xzxk = CatalogItem.objects.get(code="XZXK")
    field = {f["key"]: f for f in xzxk.current_version.schema["fields"]}["id_type"]
    assert field["choice_prefixes"] == ["其他-", "其它-"]


def test_code_list_name_change_needs_no_new_version(admin_user):
    id_types = CodeList.objects.get(code="id_type")
    assert (
        services.code_list_update(
            actor=admin_user, code_list=id_types, changes={"name": "证件种类"}
        )
        == []
    )


def test_only_the_credit_office_edits_code_lists(clerk):
    with pytest.raises(PermissionDeniedError):
        services.code_list_update(
            actor=clerk,
            code_list=CodeList.objects.get(code="id_type"),
            changes={"values": ["身份证"]},
        )


def test_set_code_list_of_a_field(small_item, admin_user, clerk):
    levels = services.code_list_create(
        actor=admin_user, code="arrears_level", name="欠税等级", values=["一般", "严重"]
    )
    services.catalog_field_add(actor=clerk, item=small_item, key="level", label="等级")
    field = services.catalog_field_set_code_list(
        actor=clerk, field=_field(small_item, "level"), code_list=levels
    )
    assert field.type == "code_list" and field.code_list == levels
    small_item.refresh_from_db()
    spec = {f["key"]: f for f in small_item.current_version.schema["fields"]}["level"]
    assert spec["choices"] == ["一般", "严重"] and spec["choice_prefixes"] == []
    with pytest.raises(ApplicationError) as exc:
        services.catalog_field_set_code_list(actor=clerk, field=field, code_list=None)
    assert "代码表" in exc.value.message
