"""Catalog services: versions, code lists, diffs, permissions, validation, audit."""

import pytest

from xinyong.catalog import selectors, services
from xinyong.catalog.models import CatalogField, CatalogItem, CatalogItemVersion, CodeList
from xinyong.catalog.schema import schema_diff
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _field(item: CatalogItem, key: str) -> CatalogField:
    return item.fields.select_related("item", "code_list").get(key=key)


def _labels(version: CatalogItemVersion) -> list[str]:
    return [f["label"] for f in version.schema["fields"]]


# --- versions -----------------------------------------------------------------


def test_create_with_fields_publishes_version_one(small_item, admin_user):
    assert small_item.current_version.number == 1
    assert _labels(small_item.current_version) == [
        "纳税人名称",
        "统一社会信用代码",
        "欠税金额（万元）",
    ]
    assert small_item.current_version.created_by == admin_user
    assert AuditLog.objects.filter(
        action="catalog_item.create", object_id=str(small_item.pk)
    ).exists()


def test_publish_creates_next_version_with_the_frozen_schema(xzcf, clerk):
    version = services.catalog_item_publish(item=xzcf, actor=clerk, note="复核")
    assert version.number == 2
    assert version.note == "复核"
    assert version.created_by == clerk
    xzcf.refresh_from_db()
    assert xzcf.current_version == version
    assert version.schema == selectors.version_schema(version)
    assert (
        version.schema["fields"]
        == CatalogItemVersion.objects.get(item=xzcf, number=1).schema["fields"]
    )
    assert (
        AuditLog.objects.filter(action="catalog_item.publish", object_id=str(xzcf.pk)).count() == 1
    )


def test_every_edit_publishes_and_old_versions_keep_their_schema(xzcf, clerk):
    v1 = xzcf.current_version
    v1_schema = v1.schema
    services.catalog_field_add(
        actor=clerk, item=xzcf, key="inspection_no", label="检查编号", aliases=["检查单号"]
    )
    xzcf.refresh_from_db()
    assert xzcf.current_version.number == 2
    assert _labels(xzcf.current_version)[-1] == "检查编号"

    services.catalog_field_update(
        actor=clerk, field=_field(xzcf, "legal_rep"), changes={"required": True}
    )
    services.catalog_field_remove(actor=clerk, field=_field(xzcf, "inspection_no"))
    xzcf.refresh_from_db()
    assert xzcf.current_version.number == 4
    assert "检查编号" not in _labels(xzcf.current_version)
    by_number = {v.number: v for v in xzcf.versions.all()}
    assert "检查编号" in _labels(by_number[2])
    legal_rep = {f["key"]: f for f in by_number[3].schema["fields"]}["legal_rep"]
    assert legal_rep["required"] is True
    # Version 1 is untouched by all of it.
    v1.refresh_from_db()
    assert v1.schema == v1_schema
    assert {f["key"]: f for f in v1.schema["fields"]}["legal_rep"]["required"] is False


def test_field_added_at_a_position(small_item, clerk):
    services.catalog_field_add(
        actor=clerk, item=small_item, key="year", label="所属年度", position=2, pattern=r"^\d{4}$"
    )
    small_item.refresh_from_db()
    assert _labels(small_item.current_version) == [
        "纳税人名称",
        "所属年度",
        "统一社会信用代码",
        "欠税金额（万元）",
    ]
    services.catalog_field_update(
        actor=clerk, field=_field(small_item, "year"), changes={"position": 4}
    )
    small_item.refresh_from_db()
    assert _labels(small_item.current_version)[-1] == "所属年度"


def test_update_without_change_publishes_nothing(small_item, clerk):
    services.catalog_field_update(
        actor=clerk, field=_field(small_item, "amount"), changes={"required": True}
    )
    services.catalog_item_update(actor=clerk, item=small_item, changes={"name": "欠税信息"})
    assert small_item.versions.count() == 1


def test_item_settings_change_publishes(small_item, admin_user):
    services.catalog_item_update(
        actor=admin_user,
        item=small_item,
        changes={"disclosure": "government", "publish_within_workdays": 5},
        note="改为政务共享",
    )
    small_item.refresh_from_db()
    version = small_item.current_version
    assert version.number == 2 and version.note == "改为政务共享"
    assert version.schema["disclosure"] == "government"
    assert version.schema["publish_within_workdays"] == 5
    log = AuditLog.objects.get(action="catalog_item.update", object_id=str(small_item.pk))
    assert log.before == {"disclosure": "public", "publish_within_workdays": None}


def test_deactivating_does_not_publish(small_item, admin_user):
    services.catalog_item_update(actor=admin_user, item=small_item, changes={"is_active": False})
    small_item.refresh_from_db()
    assert not small_item.is_active and small_item.versions.count() == 1


def test_renaming_a_key_field_keeps_the_record_key(admin_user):
    item = CatalogItem.objects.get(code="NSXYA")
    services.catalog_field_update(
        actor=admin_user, field=_field(item, "year"), changes={"key": "tax_year"}
    )
    item.refresh_from_db()
    assert item.key_fields == ["doc_number", "subject_uscc", "tax_year"]
    assert item.current_version.schema["key_fields"] == ["doc_number", "subject_uscc", "tax_year"]


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
    assert sorted(v.item.code for v in published) == ["XZCF", "XZXK"]
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


# --- diff -----------------------------------------------------------------


def test_diff_lists_added_removed_and_changed(small_item, admin_user):
    v1 = small_item.current_version
    services.catalog_field_add(actor=admin_user, item=small_item, key="note", label="备注")
    services.catalog_field_update(
        actor=admin_user,
        field=_field(small_item, "amount"),
        changes={"label": "欠税余额（万元）", "aliases": ["欠税金额"], "required": False},
    )
    services.catalog_field_remove(actor=admin_user, field=_field(small_item, "note"))
    services.catalog_item_update(actor=admin_user, item=small_item, changes={"nature": "neutral"})
    small_item.refresh_from_db()
    latest = small_item.current_version
    changes = schema_diff(v1.schema, latest.schema)
    kinds = [c["change"] for c in changes]
    assert kinds == ["item", "field_changed"]
    assert changes[0] == {
        "change": "item",
        "attribute": "nature",
        "attribute_label": "性质",
        "before": "negative",
        "after": "neutral",
    }
    changed = {a["attribute"]: (a["before"], a["after"]) for a in changes[1]["attributes"]}
    assert changed == {
        "label": ("欠税金额（万元）", "欠税余额（万元）"),
        "aliases": ([], ["欠税金额"]),
        "required": (True, False),
    }
    by_number = {v.number: v for v in small_item.versions.all()}
    added = selectors.version_diff(by_number[2])
    assert [(c["change"], c["key"], c["label"]) for c in added] == [("field_added", "note", "备注")]
    removed = selectors.version_diff(by_number[4])
    assert [(c["change"], c["key"]) for c in removed] == [("field_removed", "note")]
    first = selectors.version_diff(by_number[1])
    assert [c["change"] for c in first] == ["field_added"] * 3


def test_diff_notices_a_new_order(small_item, admin_user):
    services.catalog_field_update(
        actor=admin_user, field=_field(small_item, "amount"), changes={"position": 1}
    )
    small_item.refresh_from_db()
    changes = selectors.version_diff(small_item.current_version)
    assert changes == [
        {
            "change": "order",
            "before": ["subject_name", "subject_uscc", "amount"],
            "after": ["amount", "subject_name", "subject_uscc"],
        }
    ]


# --- who may edit -----------------------------------------------------------


def test_clerk_edits_own_departments_item(xzcf, clerk):
    field = services.catalog_field_update(
        actor=clerk, field=_field(xzcf, "remarks"), changes={"max_length": 500}
    )
    assert field.max_length == 500
    log = AuditLog.objects.get(action="catalog_field.update")
    assert (
        log.actor == clerk
        and log.before == {"max_length": 2000}
        and log.after == {"max_length": 500}
    )


def test_clerk_is_refused_another_departments_item(xzcf, other_clerk):
    with pytest.raises(NotFoundError):
        services.catalog_field_add(actor=other_clerk, item=xzcf, key="x", label="某字段")
    with pytest.raises(NotFoundError):
        services.catalog_field_update(
            actor=other_clerk, field=_field(xzcf, "remarks"), changes={"required": True}
        )
    with pytest.raises(NotFoundError):
        services.catalog_field_remove(actor=other_clerk, field=_field(xzcf, "remarks"))
    with pytest.raises(NotFoundError):
        services.catalog_item_publish(item=xzcf, actor=other_clerk, note="")
    with pytest.raises(NotFoundError):
        services.catalog_item_update(actor=other_clerk, item=xzcf, changes={"name": "x"})
    assert xzcf.versions.count() == 1


def test_officer_sees_but_does_not_edit(xzcf, officer):
    assert selectors.item_get_for(officer, "XZCF") == xzcf
    with pytest.raises(PermissionDeniedError):
        services.catalog_item_publish(item=xzcf, actor=officer, note="")


def test_clerk_cannot_change_disclosure_or_create_items(xzcf, clerk):
    with pytest.raises(PermissionDeniedError) as exc:
        services.catalog_item_update(actor=clerk, item=xzcf, changes={"disclosure": "government"})
    assert "公开属性" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.catalog_item_create(
            actor=clerk,
            code="ABC",
            name="x",
            category="other",
            nature="neutral",
            disclosure="public",
        )


def test_credit_office_edits_any_item(admin_user):
    for code in ("XZXK", "SXBZX"):
        item = CatalogItem.objects.get(code=code)
        assert item.departments.count() == 0
        services.catalog_field_update(
            actor=admin_user, field=_field(item, "subject_name"), changes={"max_length": 300}
        )
        item.refresh_from_db()
        assert item.current_version.number == 2


def test_item_list_for(xzcf, clerk, other_clerk, admin_user):
    assert [i.code for i in selectors.item_list_for(clerk)] == ["XZCF"]
    assert list(selectors.item_list_for(other_clerk)) == []
    listed = {i.code: i for i in selectors.item_list_for(admin_user)}
    assert {"XZXK", "XZCF", "NSXYA", "QJSB", "SXBZX"} <= set(listed)
    assert listed["XZCF"].department_count == 1 and listed["XZCF"].field_count == 30


def test_item_get():
    assert selectors.item_get("xzcf").code == "XZCF"
    with pytest.raises(NotFoundError):
        selectors.item_get("NOPE")


def test_set_departments_is_the_credit_offices(
    xzcf, admin_user, clerk, department, other_department
):
    with pytest.raises(PermissionDeniedError):
        services.catalog_item_set_departments(
            actor=clerk, item=xzcf, departments=[other_department]
        )
    services.catalog_item_set_departments(
        actor=admin_user, item=xzcf, departments=[department, other_department]
    )
    assert set(xzcf.departments.values_list("short_code", flat=True)) == {"scjg", "shuiwu"}
    assert AuditLog.objects.filter(action="catalog_item.set_departments").count() == 1


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
    xzcf, clerk, kwargs, attribute, words
):
    error = _add(xzcf, clerk, **kwargs)
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
