"""Writes to the catalog. Each writes an audit row.

Every change that alters what a record of an item looks like ends by
publishing a new `CatalogItemVersion` (`catalog_item_publish`), so that
`item.current_version` always reflects the item's fields and settings, and
old versions keep the schema their records were checked against.

Who may do what (see `catalog.permissions`): the credit office everything;
the clerks of an owning department the fields and the descriptive settings
of their items. Disclosure, nature, category, deadlines, activation,
ownership and the shared code lists are the credit office's.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xinyong.catalog.audit_actions import (
    CATALOG_FIELD_ADD,
    CATALOG_FIELD_REMOVE,
    CATALOG_FIELD_UPDATE,
    CATALOG_ITEM_CREATE,
    CATALOG_ITEM_PUBLISH,
    CATALOG_ITEM_SET_DEPARTMENTS,
    CATALOG_ITEM_UPDATE,
    CODE_LIST_CREATE,
    CODE_LIST_UPDATE,
)
from xinyong.catalog.models import CatalogField, CatalogItem, CatalogItemVersion, CodeList
from xinyong.catalog.permissions import ensure_credit_office, ensure_item_edit
from xinyong.catalog.schema import field_snapshot, item_snapshot
from xinyong.catalog.validation import code_list_problems, field_problems, item_problems
from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
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
FIELD_SETTINGS = (
    "key",
    "label",
    "aliases",
    "type",
    "role",
    "required",
    "max_length",
    "pattern",
    "code_list",
    "identifier_kind",
    "is_public",
    "masking",
    "help_text",
)
CODE_LIST_SETTINGS = ("name", "values", "prefixes", "legal_basis")


def _invalid(problems: Mapping[str, str]) -> ApplicationError:
    return ApplicationError(
        "invalid",
        "；".join(problems.values()),
        {name: [message] for name, message in problems.items()},
    )


def _fields_of(item: CatalogItem) -> list[CatalogField]:
    return list(item.fields.select_related("code_list").order_by("order", "id"))


def _field_state(field: CatalogField) -> dict:
    state = field_snapshot(field)
    state["code_list"] = field.code_list.code if field.code_list_id else None
    state["order"] = field.order
    return state


def _item_state(item: CatalogItem) -> dict:
    return {name: getattr(item, name) for name in ITEM_SETTINGS}


def _clean_list(values: Iterable[Any] | None) -> list[str]:
    cleaned: list[str] = []
    for value in values or ():
        text = str(value).strip()
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def _renumber(fields: list[CatalogField]) -> None:
    changed = []
    for order, field in enumerate(fields, start=1):
        if field.order != order:
            field.order = order
            changed.append(field)
    if changed:
        CatalogField.objects.bulk_update(changed, ["order"])


def _actor_user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _publish(item: CatalogItem, *, actor: Any, note: str, request=None) -> CatalogItemVersion:
    # Lock the item row: two editors publishing at once get consecutive
    # numbers instead of a unique-constraint error.
    CatalogItem.objects.select_for_update().filter(pk=item.pk).first()
    fields = _fields_of(item)
    if not fields:
        raise ApplicationError(
            "no_fields", _("目录事项“%(item)s”还没有字段，不能发布") % {"item": item.name}
        )
    last = item.versions.aggregate(last=Max("number"))["last"] or 0
    version = CatalogItemVersion.objects.create(
        item=item,
        number=last + 1,
        schema=item_snapshot(item, fields),
        note=(note or "")[:300],
        created_at=clock.now(),
        created_by=_actor_user(actor),
    )
    item.current_version = version
    item.save(update_fields=["current_version"])
    audit_record(
        actor=actor,
        action=CATALOG_ITEM_PUBLISH,
        obj=item,
        after={"version": version.number, "fields": len(fields)},
        reason=version.note,
        request=request,
    )
    return version


def _republish_if_published(item: CatalogItem, *, actor: Any, note: str, request=None) -> None:
    """After an edit: a new version, unless the item has never had any field."""
    if item.current_version_id is None and not item.fields.exists():
        return
    _publish(item, actor=actor, note=note, request=request)


@transaction.atomic
def catalog_item_publish(
    *, item: CatalogItem, actor: User, note: str = "", request=None
) -> CatalogItemVersion:
    """Freeze the item's current fields into version n+1 and make it current."""
    ensure_item_edit(actor, item)
    return _publish(item, actor=actor, note=note or _("发布"), request=request)


def _resolve_code_list(value: CodeList | str | None) -> CodeList | None:
    if value is None or value == "" or isinstance(value, CodeList):
        return value or None
    code_list = CodeList.objects.filter(code=value).first()
    if code_list is None:
        raise ApplicationError(
            "invalid",
            _("代码表：“%(v)s”不存在") % {"v": value},
            {"code_list": [_("“%(v)s”不存在") % {"v": value}]},
        )
    return code_list


def _prepare_field(field: CatalogField, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name == "code_list":
            field.code_list = _resolve_code_list(value)
        elif name == "aliases":
            field.aliases = [
                a for a in _clean_list(value) if a != (values.get("label") or field.label)
            ]
        elif name in (
            "key",
            "label",
            "pattern",
            "help_text",
            "identifier_kind",
            "role",
            "masking",
            "type",
        ):
            setattr(field, name, (value or "").strip())
        elif name in ("required", "is_public"):
            setattr(field, name, bool(value))
        elif name == "max_length":
            setattr(field, name, int(value) if value not in (None, "") else None)
        else:
            setattr(field, name, value)


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
    request=None,
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
        key_fields=_clean_list(key_fields),
    )
    field_objects: list[CatalogField] = []
    for order, spec in enumerate(fields, start=1):
        unknown = set(spec) - set(FIELD_SETTINGS)
        if unknown:
            raise ValueError(f"unknown field attributes: {sorted(unknown)}")
        field = CatalogField(item=item, order=order)
        _prepare_field(field, spec)
        problems = field_problems(field, field_objects)
        if problems:
            raise _invalid(problems)
        field_objects.append(field)
    problems = item_problems(item, [f.key for f in field_objects])
    if CatalogItem.objects.filter(code=item.code).exists():
        problems.setdefault("code", _("目录编码：“%(v)s”已存在") % {"v": item.code})
    if problems:
        raise _invalid(problems)
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
        _publish(item, actor=actor, note=note or _("新建目录事项"), request=request)
    return item


@transaction.atomic
def catalog_item_update(
    *, actor: User, item: CatalogItem, changes: Mapping[str, Any], note: str = "", request=None
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
            value = _clean_list(value)
        setattr(item, name, value)
    after = _item_state(item)
    changed = [name for name in ITEM_SETTINGS if before[name] != after[name]]
    if not changed:
        return item
    reserved = [name for name in changed if name in CREDIT_OFFICE_SETTINGS]
    if reserved and not actor.is_credit_office:
        labels = "、".join(str(CatalogItem._meta.get_field(n).verbose_name) for n in reserved)
        raise PermissionDeniedError(
            "forbidden", _("只有信用办管理员可以修改：%(names)s") % {"names": labels}
        )
    problems = item_problems(item, item.fields.values_list("key", flat=True))
    if problems:
        raise _invalid(problems)
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
        labels = "、".join(str(CatalogItem._meta.get_field(n).verbose_name) for n in changed)
        _republish_if_published(
            item,
            actor=actor,
            note=note or _("修改事项设置：%(names)s") % {"names": labels},
            request=request,
        )
    return item


@transaction.atomic
def catalog_item_set_departments(
    *, actor: User, item: CatalogItem, departments: Iterable[Department], request=None
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


def _move(
    fields: list[CatalogField], field: CatalogField, position: int | None
) -> list[CatalogField]:
    """`fields` with `field` at 1-based `position` (None: at the end)."""
    others = [f for f in fields if f is not field and (f.pk is None or f.pk != field.pk)]
    index = len(others) if position is None else max(0, min(int(position) - 1, len(others)))
    return [*others[:index], field, *others[index:]]


@transaction.atomic
def catalog_field_add(
    *,
    actor: User,
    item: CatalogItem,
    key: str,
    label: str,
    type: str = CatalogField.Type.TEXT,
    aliases: Iterable[str] = (),
    role: str = "",
    required: bool = False,
    max_length: int | None = None,
    pattern: str = "",
    code_list: CodeList | str | None = None,
    identifier_kind: str = "",
    is_public: bool = True,
    masking: str = "",
    help_text: str = "",
    position: int | None = None,
    note: str = "",
    request=None,
) -> CatalogField:
    """Add a field (at 1-based `position`, default last) and publish a new version."""
    ensure_item_edit(actor, item)
    siblings = _fields_of(item)
    field = CatalogField(item=item)
    _prepare_field(
        field,
        {
            "key": key,
            "label": label,
            "aliases": aliases,
            "type": type,
            "role": role,
            "required": required,
            "max_length": max_length,
            "pattern": pattern,
            "code_list": code_list,
            "identifier_kind": identifier_kind,
            "is_public": is_public,
            "masking": masking,
            "help_text": help_text,
        },
    )
    problems = field_problems(field, siblings)
    if problems:
        raise _invalid(problems)
    ordered = _move(siblings, field, position)
    field.order = ordered.index(field) + 1
    field.save()
    _renumber(ordered)
    audit_record(
        actor=actor,
        action=CATALOG_FIELD_ADD,
        obj=field,
        after=_field_state(field),
        reason=note,
        request=request,
    )
    _publish(
        item,
        actor=actor,
        note=note or _("新增字段“%(label)s”") % {"label": field.label},
        request=request,
    )
    return field


@transaction.atomic
def catalog_field_update(
    *, actor: User, field: CatalogField, changes: Mapping[str, Any], note: str = "", request=None
) -> CatalogField:
    """Change a field (`changes`: names of `FIELD_SETTINGS` or `position` → new values)."""
    item = field.item
    ensure_item_edit(actor, item)
    unknown = set(changes) - {*FIELD_SETTINGS, "position"}
    if unknown:
        raise ValueError(f"unknown field attributes: {sorted(unknown)}")
    siblings = _fields_of(item)
    field = next((f for f in siblings if f.pk == field.pk), None)
    if field is None:
        raise NotFoundError("not_found", _("未找到该字段"))
    before = _field_state(field)
    old_key = field.key
    _prepare_field(field, {k: v for k, v in changes.items() if k != "position"})
    problems = field_problems(field, siblings)
    if problems:
        raise _invalid(problems)
    ordered = _move(siblings, field, changes["position"]) if "position" in changes else siblings
    field.order = ordered.index(field) + 1
    after = _field_state(field)
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return field
    field.save()
    _renumber(ordered)
    if field.key != old_key and old_key in item.key_fields:
        # A renamed key keeps its place among the fields that identify a record.
        item.key_fields = [field.key if k == old_key else k for k in item.key_fields]
        item.save(update_fields=["key_fields"])
    audit_record(
        actor=actor,
        action=CATALOG_FIELD_UPDATE,
        obj=field,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
        reason=note,
        request=request,
    )
    _publish(
        item,
        actor=actor,
        note=note or _("修改字段“%(label)s”") % {"label": field.label},
        request=request,
    )
    return field


@transaction.atomic
def catalog_field_set_code_list(
    *,
    actor: User,
    field: CatalogField,
    code_list: CodeList | str | None,
    note: str = "",
    request=None,
) -> CatalogField:
    """Point a field at a code list (its type becomes `code_list`)."""
    changes: dict[str, Any] = {"code_list": code_list}
    if code_list:
        changes["type"] = CatalogField.Type.CODE_LIST
    return catalog_field_update(
        actor=actor, field=field, changes=changes, note=note, request=request
    )


@transaction.atomic
def catalog_field_remove(*, actor: User, field: CatalogField, note: str = "", request=None) -> None:
    """Remove a field and publish a new version (old versions keep it)."""
    item = field.item
    ensure_item_edit(actor, item)
    siblings = _fields_of(item)
    if field.key in (item.key_fields or []):
        raise ApplicationError(
            "field_in_use",
            _("字段“%(label)s”是记录标识字段，请先在事项设置中移除") % {"label": field.label},
        )
    if item.current_version_id is not None and len(siblings) <= 1:
        raise ApplicationError(
            "last_field", _("不能删除目录事项“%(item)s”的最后一个字段") % {"item": item.name}
        )
    state = _field_state(field)
    label, field_pk = field.label, field.pk
    field.delete()
    _renumber([f for f in siblings if f.pk != field_pk])
    audit_record(
        actor=actor,
        action=CATALOG_FIELD_REMOVE,
        obj=item,
        before=state,
        reason=note,
        request=request,
    )
    _republish_if_published(
        item, actor=actor, note=note or _("删除字段“%(label)s”") % {"label": label}, request=request
    )


@transaction.atomic
def code_list_create(
    *,
    actor: User,
    code: str,
    name: str,
    values: Sequence[str],
    prefixes: Sequence[str] = (),
    legal_basis: str = "",
    request=None,
) -> CodeList:
    ensure_credit_office(actor)
    code_list = CodeList(
        code=(code or "").strip(),
        name=(name or "").strip(),
        values=[str(v).strip() for v in values],
        prefixes=_clean_list(prefixes),
        legal_basis=legal_basis.strip(),
    )
    problems = code_list_problems(code_list)
    if CodeList.objects.filter(code=code_list.code).exists():
        problems.setdefault("code", _("代码：“%(v)s”已存在") % {"v": code_list.code})
    if problems:
        raise _invalid(problems)
    code_list.save()
    audit_record(
        actor=actor,
        action=CODE_LIST_CREATE,
        obj=code_list,
        after={n: getattr(code_list, n) for n in ("code", *CODE_LIST_SETTINGS)},
        request=request,
    )
    return code_list


@transaction.atomic
def code_list_update(
    *, actor: User, code_list: CodeList, changes: Mapping[str, Any], note: str = "", request=None
) -> list[CatalogItemVersion]:
    """Change a code list (credit office only). Every item with a field on it
    gets a new version with the new values; old versions keep the old ones.
    Returns the versions published."""
    ensure_credit_office(actor)
    unknown = set(changes) - set(CODE_LIST_SETTINGS)
    if unknown:
        raise ValueError(f"unknown code list settings: {sorted(unknown)}")
    before = {n: getattr(code_list, n) for n in CODE_LIST_SETTINGS}
    for name, value in changes.items():
        if name == "values":
            value = [str(v).strip() for v in value]
        elif name == "prefixes":
            value = _clean_list(value)
        else:
            value = (value or "").strip()
        setattr(code_list, name, value)
    after = {n: getattr(code_list, n) for n in CODE_LIST_SETTINGS}
    changed = [n for n in CODE_LIST_SETTINGS if before[n] != after[n]]
    if not changed:
        return []
    problems = code_list_problems(code_list)
    if problems:
        raise _invalid(problems)
    code_list.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=CODE_LIST_UPDATE,
        obj=code_list,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
        reason=note,
        request=request,
    )
    published: list[CatalogItemVersion] = []
    # Versions copy values and prefixes only: a new name or basis needs no version.
    if {"values", "prefixes"} & set(changed):
        items = CatalogItem.objects.filter(
            fields__code_list=code_list, fields__type=CatalogField.Type.CODE_LIST
        ).distinct()
        for item in items.order_by("code"):
            published.append(
                _publish(
                    item,
                    actor=actor,
                    note=note or _("代码表“%(name)s”变更") % {"name": code_list.name},
                    request=request,
                )
            )
    return published
