"""Who may see and change a catalog item.

The credit office keeps the whole catalog. A department's users see the
items their department owns (`item.departments`); its 信息报送员 (clerks)
also change them, unless the item is shared: an item that more than one
department submits is changed by the credit office only (one department
must not change what another department's records look like or publish).
What is public (a field's `is_public`, `masking`) and a field's role are
the credit office's on every item (`PRIVACY_ATTRIBUTES`). A clerk who
cannot make a change directly proposes it as a change request
(`can_propose_item`). Anyone else is told the item does not exist, as
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


# A field's attributes that decide what the public sees: whether it is
# public, how it is masked, and its role (a subject name is masked for a
# person, an ID number is never shown for one). Credit office only.
PRIVACY_ATTRIBUTES = frozenset({"is_public", "masking", "role"})


def item_is_shared(item: CatalogItem) -> bool:
    """Whether more than one department submits the item."""
    return item.departments.count() > 1


def can_propose_item(user: User, item: CatalogItem) -> bool:
    """The credit office, and the clerks of a department that submits the item."""
    if not can_view_item(user, item):
        return False
    return user.is_credit_office or user.role == User.Role.CLERK


def can_edit_item(user: User, item: CatalogItem) -> bool:
    """Who changes the item directly: the credit office; an owning clerk
    only while no other department submits it."""
    if not can_propose_item(user, item):
        return False
    return user.is_credit_office or not item_is_shared(item)


def ensure_item_propose(user: User, item: CatalogItem) -> None:
    ensure_item_view(user, item)
    if not can_propose_item(user, item):
        raise PermissionDeniedError(
            "forbidden", _("只有本部门的信息报送员或信用办管理员可以修改目录事项")
        )


def ensure_item_edit(user: User, item: CatalogItem) -> None:
    """Refuse anyone but the credit office and, for an item no other
    department submits, the owning department's clerks."""
    ensure_item_propose(user, item)
    if not can_edit_item(user, item):
        raise PermissionDeniedError(
            "shared_item",
            _("该目录事项由多个部门报送，只有信用办管理员可以修改；请提交变更申请"),
        )


def ensure_privacy_change(user: User, attributes: "set[str] | frozenset[str]") -> None:
    """Refuse a change of a field's disclosure or role by anyone but the credit office."""
    touched = attributes & PRIVACY_ATTRIBUTES
    if touched and not user.is_credit_office:
        raise PermissionDeniedError(
            "privacy_reserved",
            _("只有信用办管理员可以修改字段的公开、遮蔽和用途；请提交变更申请"),
        )


__all__ = [
    "PRIVACY_ATTRIBUTES",
    "can_edit_item",
    "can_propose_item",
    "can_read_restricted",
    "can_view_item",
    "ensure_credit_office",
    "ensure_item_edit",
    "ensure_item_propose",
    "ensure_item_view",
    "ensure_privacy_change",
    "item_is_shared",
]


def can_read_restricted(user: User, item: CatalogItem) -> bool:
    """Whether `user` may read the records of a restricted item: the credit
    office and the item's reader departments (`item.readers`) only."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_credit_office:
        return True
    if user.department_id is None or not can_access_department(user, user.department_id):
        return False
    return item.readers.filter(pk=user.department_id).exists()
