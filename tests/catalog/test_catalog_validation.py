"""Catalog services: validation messages, and the audit row of every service."""

import pytest

from xinyong.catalog import services
from xinyong.catalog.models import CatalogField, CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _field(item: CatalogItem, key: str) -> CatalogField:
    return item.fields.select_related("item", "code_list").get(key=key)


# --- validation ---------------------------------------------------------------


def _add(item, actor, **kwargs):
    with pytest.raises(ApplicationError) as exc:
        services.catalog_field_add(actor=actor, item=item, **kwargs)
    return exc.value


@pytest.mark.parametrize(
    ("kwargs", "attribute", "words"),
    [
        ({"key": "Fine Amount", "label": "罚没金额"}, "key", ["字段名", "小写字母"]),
        ({"key": "remarks2", "label": "备注"}, "label", ["中文名", "已有名为“备注”"]),
        ({"key": "violation_type", "label": "违法类型"}, "key", ["字段名", "violation_type"]),
        (
            {"key": "x", "label": "某项", "pattern": "^(\\d"},
            "pattern",
            ["格式（正则）", "正则表达式"],
        ),
        (
            {"key": "x", "label": "某项", "type": "code_list"},
            "code_list",
            ["代码表", "必须指定代码表"],
        ),
        (
            {"key": "x", "label": "某项", "type": "identifier", "identifier_kind": "passport"},
            "identifier_kind",
            ["代码类型", "uscc"],
        ),
        ({"key": "x", "label": "某项", "type": "identifier"}, "identifier_kind", ["代码类型"]),
        (
            {"key": "x", "label": "某项", "role": "doc_number"},
            "role",
            ["用途", "行政处罚决定书文号", "文书号"],
        ),
        ({"key": "x", "label": "某项", "type": "text", "role": "decision_date"}, "role", ["日期"]),
        (
            {"key": "x", "label": "某项", "aliases": ["决定日期"]},
            "aliases",
            ["表头别名", "处罚决定日期"],
        ),
    ],
)
def test_field_validation_messages_are_chinese_and_name_the_field(
    xzcf, admin_user, kwargs, attribute, words
):
    error = _add(xzcf, admin_user, **kwargs)
    assert error.code == "invalid"
    assert attribute in error.details
    for word in words:
        assert word in error.message, error.message
    assert xzcf.versions.count() == 1


def test_code_list_value_must_exist(xzcf, clerk):
    error = _add(xzcf, clerk, key="x", label="某项", type="code_list", code_list="no_such_list")
    assert "代码表" in error.message and "no_such_list" in error.message


def test_item_validation(admin_user):
    with pytest.raises(ApplicationError) as exc:
        services.catalog_item_create(
            actor=admin_user,
            code="XZCF",
            name="重复",
            category="other",
            nature="neutral",
            disclosure="public",
        )
    assert "目录编码" in exc.value.message and "已存在" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        services.catalog_item_create(
            actor=admin_user,
            code="X-1",
            name="",
            category="other",
            nature="neutral",
            disclosure="public",
            key_fields=["nope"],
        )
    assert {"code", "name", "key_fields"} <= set(exc.value.details)
    assert "记录标识字段" in exc.value.message


def test_key_fields_must_be_fields_and_cannot_be_removed(admin_user):
    item = CatalogItem.objects.get(code="NSXYA")
    with pytest.raises(ApplicationError) as exc:
        services.catalog_item_update(actor=admin_user, item=item, changes={"key_fields": ["nope"]})
    assert "记录标识字段" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        services.catalog_field_remove(actor=admin_user, field=_field(item, "year"))
    assert "记录标识字段" in exc.value.message


def test_last_field_cannot_be_removed(admin_user, department):
    item = services.catalog_item_create(
        actor=admin_user,
        code="ONE",
        name="单字段",
        category="other",
        nature="neutral",
        disclosure="public",
        fields=[{"key": "name", "label": "名称"}],
    )
    with pytest.raises(ApplicationError) as exc:
        services.catalog_field_remove(actor=admin_user, field=_field(item, "name"))
    assert "最后一个字段" in exc.value.message


def test_item_without_fields_has_no_version_until_its_first_field(admin_user):
    item = services.catalog_item_create(
        actor=admin_user,
        code="EMPTY",
        name="空事项",
        category="other",
        nature="neutral",
        disclosure="public",
    )
    assert item.current_version is None
    services.catalog_item_update(actor=admin_user, item=item, changes={"legal_basis": "某规定"})
    assert item.versions.count() == 0
    with pytest.raises(ApplicationError):
        services.catalog_item_publish(item=item, actor=admin_user, note="")
    services.catalog_field_add(actor=admin_user, item=item, key="name", label="名称")
    item.refresh_from_db()
    assert item.current_version.number == 1
    assert item.current_version.schema["legal_basis"] == "某规定"


def test_every_service_writes_the_audit_log(admin_user, clerk, department):
    start = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    item = services.catalog_item_create(
        actor=admin_user,
        code="AUD",
        name="审计",
        category="other",
        nature="neutral",
        disclosure="public",
        departments=[department],
        fields=[{"key": "name", "label": "名称"}],
    )
    services.catalog_item_update(actor=clerk, item=item, changes={"legal_basis": "某规定"})
    services.catalog_field_add(actor=clerk, item=item, key="code", label="代码")
    services.catalog_field_update(
        actor=clerk, field=_field(item, "code"), changes={"required": True}
    )
    services.catalog_field_remove(actor=clerk, field=_field(item, "code"))
    services.catalog_item_publish(item=item, actor=clerk, note="复核")
    code_list = services.code_list_create(
        actor=admin_user, code="aud", name="审计表", values=["甲"]
    )
    services.code_list_update(
        actor=admin_user, code_list=code_list, changes={"values": ["甲", "乙"]}
    )
    actions = list(
        AuditLog.objects.filter(id__gt=start).order_by("id").values_list("action", flat=True)
    )
    for action in (
        "catalog_item.create",
        "catalog_item.update",
        "catalog_field.add",
        "catalog_field.update",
        "catalog_field.remove",
        "catalog_item.publish",
        "code_list.create",
        "code_list.update",
    ):
        assert action in actions, action
    assert actions.count("catalog_item.publish") == 6  # v1 … v6, one per change
