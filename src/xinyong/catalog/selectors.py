"""Reads of the catalog."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from xinyong.catalog.models import (
    CatalogChangeRequest,
    CatalogField,
    CatalogItem,
    CatalogItemVersion,
    CodeList,
)
from xinyong.catalog.permissions import ensure_item_view
from xinyong.catalog.schema import JsonObject, schema_diff
from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import Department, User

__all__ = [
    "change_request_get_for",
    "change_request_list_for",
    "code_list_get",
    "code_list_list",
    "item_fields",
    "item_get",
    "item_get_for",
    "item_get_for_department",
    "item_list_for",
    "item_list_for_department",
    "item_versions",
    "schema_diff",
    "version_get",
    "version_schema",
    "version_schema_by_id",
]


def item_get(code: str) -> CatalogItem:
    """The item with this code (case-insensitive), its current version loaded."""
    item = (
        CatalogItem.objects.select_related("current_version")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if item is None:
        raise NotFoundError("item_not_found", _("目录事项“%(code)s”不存在") % {"code": code})
    return item


def item_get_for(user: User, code: str) -> CatalogItem:
    """The item, if this user may see it; else the same "not found" as for a missing one."""
    try:
        item = item_get(code)
    except NotFoundError:
        # The same answer as for an item that is not theirs.
        raise NotFoundError("not_found", _("未找到该目录事项，或您无权访问")) from None
    ensure_item_view(user, item)
    return item


def item_list_for(user: User) -> QuerySet[CatalogItem]:
    """Department users: the items their department owns; the credit office: all.

    Annotated with `department_count` and `field_count`."""
    qs = CatalogItem.objects.select_related("current_version").annotate(
        department_count=Count("departments", distinct=True),
        field_count=Count("fields", distinct=True),
    )
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_credit_office:
        return qs.order_by("code")
    if user.department_id is None:
        return qs.none()
    # Filter through a subquery so the department join does not disturb the counts.
    owned = CatalogItem.objects.filter(departments=user.department_id).values("pk")
    return qs.filter(pk__in=owned).order_by("code")


def item_list_for_department(department: Department) -> QuerySet[CatalogItem]:
    """The active, published items a department submits (all for the credit office)."""
    qs = CatalogItem.objects.select_related("current_version").filter(
        is_active=True, current_version__isnull=False
    )
    if department.kind != Department.Kind.CREDIT_OFFICE:
        qs = qs.filter(departments=department)
    return qs.order_by("code")


def item_get_for_department(department: Department, code: str) -> CatalogItem:
    item = item_list_for_department(department).filter(code=(code or "").strip().upper()).first()
    if item is None:
        raise NotFoundError(
            "item_not_found",
            _("目录事项“%(code)s”不存在，或本部门不报送该事项") % {"code": code},
        )
    return item


def item_fields(item: CatalogItem) -> QuerySet[CatalogField]:
    return item.fields.select_related("code_list").order_by("order", "id")


def item_versions(item: CatalogItem) -> QuerySet[CatalogItemVersion]:
    return item.versions.select_related("created_by").order_by("-number")


def version_get(item: CatalogItem, number: int) -> CatalogItemVersion:
    version = item.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise NotFoundError(
            "version_not_found",
            _("目录事项“%(item)s”没有第 %(n)s 版") % {"item": item.name, "n": number},
        )
    return version


def version_schema(version: CatalogItemVersion) -> JsonObject:
    """The frozen schema of a version (see `catalog.schema` for its shape)."""
    schema: JsonObject = version.schema
    return schema


# Versions are written once and never changed: their schemas are cached per
# process, so that a page of records does not join and parse the same large
# JSON once per row. Cleared whenever a version is saved or deleted (ids of a
# rolled-back version can be reused, e.g. between tests on SQLite).
_SCHEMAS: dict[int, JsonObject] = {}
_SCHEMAS_MAX = 512


def version_schema_by_id(version_id: int) -> JsonObject:
    """The frozen schema of the version with this id, from the process's cache."""
    schema = _SCHEMAS.get(version_id)
    if schema is None:
        schema = CatalogItemVersion.objects.values_list("schema", flat=True).get(pk=version_id)
        if len(_SCHEMAS) >= _SCHEMAS_MAX:
            _SCHEMAS.clear()
        _SCHEMAS[version_id] = schema
    return schema


def forget_version_schemas(**_signal_kwargs: object) -> None:
    """Empty the schema cache (a signal receiver)."""
    _SCHEMAS.clear()


def version_diff(version: CatalogItemVersion) -> list[JsonObject]:
    """What changed from the previous version of the same item to this one."""
    previous = (
        CatalogItemVersion.objects.filter(item_id=version.item_id, number__lt=version.number)
        .order_by("-number")
        .only("schema")
        .first()
    )
    return schema_diff(previous.schema if previous else None, version.schema)


def code_list_list() -> QuerySet[CodeList]:
    return CodeList.objects.annotate(field_count=Count("catalogfield", distinct=True)).order_by(
        "name"
    )


def code_list_get(code: str) -> CodeList:
    code_list = CodeList.objects.filter(code=code).first()
    if code_list is None:
        raise NotFoundError("not_found", _("代码表“%(code)s”不存在") % {"code": code})
    return code_list


def code_list_items(code_list: CodeList) -> QuerySet[CatalogItem]:
    """The items with a field on this code list."""
    return (
        CatalogItem.objects.filter(fields__code_list=code_list)
        .distinct()
        .order_by("code")
        .prefetch_related(
            Prefetch("fields", queryset=CatalogField.objects.filter(code_list=code_list))
        )
    )


def change_request_list_for(
    user: User, *, item: CatalogItem | None = None, status: str | None = None
) -> QuerySet[CatalogChangeRequest]:
    """Change requests a user may see: the credit office all, a department
    the ones it filed. Newest first, with item, people and version joined."""
    qs = CatalogChangeRequest.objects.select_related(
        "item", "department", "requested_by", "decided_by", "version"
    )
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if not user.is_credit_office:
        if user.department_id is None:
            return qs.none()
        qs = qs.filter(department_id=user.department_id)
    if item is not None:
        qs = qs.filter(item=item)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-pk")


def change_request_get_for(user: User, pk: int) -> CatalogChangeRequest:
    """One change request, if the user may see it; else "not found"."""
    found = change_request_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("not_found", _("未找到该变更申请，或您无权访问"))
    return found
