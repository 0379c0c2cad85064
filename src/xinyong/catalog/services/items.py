"""Catalog items: create, change settings, set the departments that submit
them. A change to what a record looks like publishes a new version."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.audit_actions import (
    CATALOG_ITEM_CREATE,
    CATALOG_ITEM_SET_DEPARTMENTS,
    CATALOG_ITEM_UPDATE,
)
from xinyong.catalog.models import CatalogField, CatalogItem
from xinyong.catalog.permissions import ensure_credit_office, ensure_item_edit
from xinyong.catalog.services.common import clean_list, invalid
from xinyong.catalog.services.fields import FIELD_SETTINGS, prepare_field
from xinyong.catalog.services.versions import publish_version, republish_if_published
from xinyong.catalog.validation import field_problems, item_problems
from xinyong.core.audit import audit_record
from xinyong.core.columns import verbose_name
from xinyong.core.errors import PermissionDeniedError
from xinyong.orgs.models import Department, User

ITEM_SETTINGS = (
    "name",
    "description",
    "category",
    "nature",
    "disclosure",
    "submit_within",
    "submit_unit",
    "publish_within_workdays",
    "legal_basis",
    "key_fields",
    "is_active",
)
# Settings with legal weight: what the public sees, whether the information is
# 失信, the deadlines. Only the credit office changes them.
CREDIT_OFFICE_SETTINGS = frozenset(
    {
        "category",
        "nature",
        "disclosure",
        "submit_within",
        "submit_unit",
        "publish_within_workdays",
        "is_active",
    }
)


def _item_state(item: CatalogItem) -> dict[str, object]:
    return {name: getattr(item, name) for name in ITEM_SETTINGS}


@transaction.atomic
def catalog_item_create(
    *,
    actor: User,
    code: str,
    name: str,
    category: str,
    nature: str,
    disclosure: str,
    description: str = "",
    legal_basis: str = "",
    submit_within: int = 7,
    submit_unit: str = CatalogItem.DeadlineUnit.DAYS,
    publish_within_workdays: int | None = None,
    key_fields: Sequence[str] = (),
    departments: Iterable[Department] = (),
    fields: Sequence[Mapping[str, Any]] = (),
    note: str = "",
    request: HttpRequest | None = None,
) -> CatalogItem:
    """A new item (credit office only). With `fields` (dicts of the field
    attributes, `code_list` a CodeList or its code) it is published as v1."""
    ensure_credit_office(actor)
    item = CatalogItem(
        code=(code or "").strip().upper(),
        name=(name or "").strip(),
        category=category,
        nature=nature,
        disclosure=disclosure,
        description=description.strip(),
        legal_basis=legal_basis.strip(),
        submit_within=submit_within,
        submit_unit=submit_unit,
        publish_within_workdays=publish_within_workdays,
        key_fields=clean_list(key_fields),
    )
    field_objects: list[CatalogField] = []
    for order, spec in enumerate(fields, start=1):
        unknown = set(spec) - set(FIELD_SETTINGS)
        if unknown:
            raise ValueError(f"unknown field attributes: {sorted(unknown)}")
        field = CatalogField(item=item, order=order)
        prepare_field(field, spec)
        problems = field_problems(field, field_objects)
        if problems:
            raise invalid(problems)
        field_objects.append(field)
    problems = item_problems(item, [f.key for f in field_objects])
    if CatalogItem.objects.filter(code=item.code).exists():
        problems.setdefault("code", _("目录编码：“%(v)s”已存在") % {"v": item.code})
    if problems:
        raise invalid(problems)
    item.save()
    for field in field_objects:
        field.item = item
    CatalogField.objects.bulk_create(field_objects)
    departments = list(departments)
    if departments:
        item.departments.set(departments)
    audit_record(
        actor=actor,
        action=CATALOG_ITEM_CREATE,
        obj=item,
        after={
            **_item_state(item),
            "code": item.code,
            "departments": [d.short_code for d in departments],
            "fields": [f.key for f in field_objects],
        },
        request=request,
    )
    if field_objects:
        publish_version(item, actor=actor, note=note or _("新建目录事项"), request=request)
    return item


@transaction.atomic
def catalog_item_update(
    *,
    actor: User,
    item: CatalogItem,
    changes: Mapping[str, Any],
    note: str = "",
    request: HttpRequest | None = None,
) -> CatalogItem:
    """Change an item's settings (`changes`: names of `ITEM_SETTINGS` → new values)."""
    ensure_item_edit(actor, item)
    unknown = set(changes) - set(ITEM_SETTINGS)
    if unknown:
        raise ValueError(f"unknown item settings: {sorted(unknown)}")
    before = _item_state(item)
    for name, value in changes.items():
        if name in ("name", "description", "legal_basis"):
            value = (value or "").strip()
        elif name == "key_fields":
            value = clean_list(value)
        setattr(item, name, value)
    after = _item_state(item)
    changed = [name for name in ITEM_SETTINGS if before[name] != after[name]]
    if not changed:
        return item
    reserved = [name for name in changed if name in CREDIT_OFFICE_SETTINGS]
    if reserved and not actor.is_credit_office:
        labels = "、".join(verbose_name(CatalogItem, n) for n in reserved)
        raise PermissionDeniedError(
            "forbidden", _("只有信用办管理员可以修改：%(names)s") % {"names": labels}
        )
    if (
        "disclosure" in changed
        and after["disclosure"] == CatalogItem.Disclosure.PUBLIC
        and not (note or "").strip()
    ):
        # Making an item public is a loosening: its reason goes in the version history.
        raise invalid({"note": _("将目录事项改为公开须填写变更说明（记入版本记录）")})
    problems = item_problems(item, item.fields.values_list("key", flat=True))
    if problems:
        raise invalid(problems)
    item.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=CATALOG_ITEM_UPDATE,
        obj=item,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
        reason=note,
        request=request,
    )
    if set(changed) - {"is_active"}:
        labels = "、".join(verbose_name(CatalogItem, n) for n in changed)
        republish_if_published(
            item,
            actor=actor,
            note=note or _("修改事项设置：%(names)s") % {"names": labels},
            request=request,
        )
    return item


@transaction.atomic
def catalog_item_set_departments(
    *,
    actor: User,
    item: CatalogItem,
    departments: Iterable[Department],
    request: HttpRequest | None = None,
) -> CatalogItem:
    """Which departments submit (and keep) this item. Credit office only."""
    ensure_credit_office(actor)
    departments = list(departments)
    before = sorted(item.departments.values_list("short_code", flat=True))
    after = sorted(d.short_code for d in departments)
    if before != after:
        item.departments.set(departments)
        audit_record(
            actor=actor,
            action=CATALOG_ITEM_SET_DEPARTMENTS,
            obj=item,
            before={"departments": before},
            after={"departments": after},
            request=request,
        )
    return item
