"""Catalog services: who may see and edit which item."""

import pytest

from xinyong.catalog import selectors, services
from xinyong.catalog.models import CatalogField, CatalogItem
from xinyong.core.errors import NotFoundError, PermissionDeniedError
from xinyong.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _field(item: CatalogItem, key: str) -> CatalogField:
    return item.fields.select_related("item", "code_list").get(key=key)


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
    assert listed["XZCF"].department_count == 1 and listed["XZCF"].field_count == 31


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
