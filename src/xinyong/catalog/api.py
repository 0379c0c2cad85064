"""Catalog API: which items a department submits, and the schema of each,
so that a department's system can build its records. Mount with
`api.add_router("/", catalog_router)`."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema

from xinyong.catalog import selectors
from xinyong.catalog.models import CatalogItem, CatalogItemVersion
from xinyong.core.errors import NotFoundError
from xinyong.core.schemas import ErrorOut
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest

router = Router(tags=["信用目录"])


class ItemOut(Schema):
    code: str
    name: str
    category: str
    nature: str
    disclosure: str
    version: int
    submit_within: int
    submit_unit: str
    publish_within_workdays: int | None


def _current_version(item: CatalogItem) -> CatalogItemVersion:
    # The selectors keep only items with a published version; this names that guarantee.
    version = item.current_version
    if version is None:  # pragma: no cover - filtered out by the selectors
        raise NotFoundError(
            "item_not_found", _("目录事项“%(code)s”没有发布的版本") % {"code": item.code}
        )
    return version


@router.get(
    "/catalog/items",
    auth=DepartmentToken(),
    response={200: list[ItemOut], 401: ErrorOut},
    summary="本部门报送的目录事项",
    description="令牌所属部门负责报送的、已启用的目录事项及其当前版本号（信用办的令牌返回全部）。",
)
def catalog_items(request: TokenRequest) -> list[ItemOut]:
    return [
        ItemOut(
            code=item.code,
            name=item.name,
            category=item.category,
            nature=item.nature,
            disclosure=item.disclosure,
            version=_current_version(item).number,
            submit_within=item.submit_within,
            submit_unit=item.submit_unit,
            publish_within_workdays=item.publish_within_workdays,
        )
        for item in selectors.item_list_for_department(request.department)
    ]


@router.get(
    "/catalog/items/{code}",
    auth=DepartmentToken(),
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
    summary="目录事项的字段定义",
    description=(
        "当前版本的字段定义快照：fields 列出每个字段的中文名（label）、字段名（key）、"
        "表头别名、类型、是否必填、代码表取值等。报送时记录的键可用中文名、字段名或别名。"
    ),
)
def catalog_item(request: TokenRequest, code: str) -> dict[str, Any]:
    item = selectors.item_get_for_department(request.department, code)
    version = _current_version(item)
    return {
        "code": item.code,
        "name": item.name,
        "version": version.number,
        "published_at": version.created_at,
        "schema": selectors.version_schema(version),
    }
