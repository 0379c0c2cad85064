"""Who may see and change a catalog item.

The credit office keeps the whole catalog. A department's users see the
items their department owns (`item.departments`); its 信息报送员 (clerks)
also change them. Anyone else is told the item does not exist, as
`orgs.permissions` does for departments, so that probing reveals nothing.
"""

from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import NotFoundError, PermissionDeniedError
from xinyong.orgs.models import User
from xinyong.orgs.permissions import can_access_department, ensure_credit_office


def _owns(user: User, item: CatalogItem) -> bool:
    if user.department_id is None or not can_access_department(user, user.department_id):
        return False
    return item.departments.filter(pk=user.department_id).exists()


def can_view_item(user: User, item: CatalogItem) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_credit_office or _owns(user, item)


def ensure_item_view(user: User, item: CatalogItem) -> None:
    if not can_view_item(user, item):
        raise NotFoundError("not_found", _("未找到该目录事项，或您无权访问"))


def can_edit_item(user: User, item: CatalogItem) -> bool:
    if not can_view_item(user, item):
        return False
    return user.is_credit_office or user.role == User.Role.CLERK


def ensure_item_edit(user: User, item: CatalogItem) -> None:
    """Refuse anyone but the credit office and the owning departments' clerks."""
    ensure_item_view(user, item)
    if not can_edit_item(user, item):
        raise PermissionDeniedError(
            "forbidden", _("只有本部门的信息报送员或信用办管理员可以修改目录事项")
        )


__all__ = [
    "can_edit_item",
    "can_view_item",
    "ensure_credit_office",
    "ensure_item_edit",
    "ensure_item_view",
]
