"""Audit actions of `catalog`: items, their fields and versions, code lists."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

CATALOG_ITEM_CREATE = declare(
    "catalog_item.create", label=_("新建目录事项"), object_type="catalog.CatalogItem"
)
CATALOG_ITEM_UPDATE = declare(
    "catalog_item.update", label=_("修改目录事项"), object_type="catalog.CatalogItem"
)
CATALOG_ITEM_PUBLISH = declare(
    "catalog_item.publish", label=_("发布目录事项新版本"), object_type="catalog.CatalogItem"
)
CATALOG_ITEM_SET_DEPARTMENTS = declare(
    "catalog_item.set_departments",
    label=_("调整目录事项报送部门"),
    object_type="catalog.CatalogItem",
)
CATALOG_FIELD_ADD = declare(
    "catalog_field.add", label=_("新增目录字段"), object_type="catalog.CatalogField"
)
CATALOG_FIELD_UPDATE = declare(
    "catalog_field.update", label=_("修改目录字段"), object_type="catalog.CatalogField"
)
# A removed field no longer exists: the row is about its item.
CATALOG_FIELD_REMOVE = declare(
    "catalog_field.remove", label=_("删除目录字段"), object_type="catalog.CatalogItem"
)
CODE_LIST_CREATE = declare(
    "code_list.create", label=_("新建代码表"), object_type="catalog.CodeList"
)
CODE_LIST_UPDATE = declare(
    "code_list.update", label=_("修改代码表"), object_type="catalog.CodeList"
)
CHANGE_REQUEST_SUBMIT = declare(
    "catalog_change_request.submit",
    label=_("提交目录变更申请"),
    object_type="catalog.CatalogChangeRequest",
)
CHANGE_REQUEST_APPROVE = declare(
    "catalog_change_request.approve",
    label=_("批准目录变更申请"),
    object_type="catalog.CatalogChangeRequest",
)
CHANGE_REQUEST_REFUSE = declare(
    "catalog_change_request.refuse",
    label=_("驳回目录变更申请"),
    object_type="catalog.CatalogChangeRequest",
)
