"""Catalog services: every change publishes a version, old versions keep their
schema; the diff of two versions."""

import pytest

from xinyong.catalog import selectors, services
from xinyong.catalog.models import CatalogField, CatalogItem, CatalogItemVersion
from xinyong.catalog.schema import schema_diff
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


def test_a_long_note_is_cut_to_the_version_column(small_item, admin_user):
    limit = CatalogItemVersion._meta.get_field("note").max_length
    version = services.catalog_item_publish(item=small_item, actor=admin_user, note="说" * 400)
    version.refresh_from_db()
    assert version.note == "说" * limit
