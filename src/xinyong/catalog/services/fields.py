"""Fields of an item: add, change, point at a code list, remove. Each ends
by publishing a new version; old versions keep the fields they had."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.audit_actions import (
    CATALOG_FIELD_ADD,
    CATALOG_FIELD_REMOVE,
    CATALOG_FIELD_UPDATE,
)
from xinyong.catalog.models import CatalogField, CatalogItem, CodeList
from xinyong.catalog.permissions import ensure_item_edit, ensure_privacy_change
from xinyong.catalog.privacy import loosened
from xinyong.catalog.schema import JsonObject, field_snapshot
from xinyong.catalog.services.common import clean_list, fields_of, invalid
from xinyong.catalog.services.versions import publish_version, republish_if_published
from xinyong.catalog.validation import field_problems
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.models import User

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


def _field_state(field: CatalogField) -> JsonObject:
    state = field_snapshot(field)
    state["code_list"] = field.code_list.code if field.code_list is not None else None
    state["order"] = field.order
    return state


def _renumber(fields: list[CatalogField]) -> None:
    changed = []
    for order, field in enumerate(fields, start=1):
        if field.order != order:
            field.order = order
            changed.append(field)
    if changed:
        CatalogField.objects.bulk_update(changed, ["order"])


def _resolve_code_list(value: CodeList | str | None) -> CodeList | None:
    if value is None or value == "":
        return None
    if isinstance(value, CodeList):
        return value
    code_list = CodeList.objects.filter(code=value).first()
    if code_list is None:
        raise ApplicationError(
            "invalid",
            _("代码表：“%(v)s”不存在") % {"v": value},
            {"code_list": [_("“%(v)s”不存在") % {"v": value}]},
        )
    return code_list


def prepare_field(field: CatalogField, values: Mapping[str, Any]) -> None:
    """Set `values` (names of `FIELD_SETTINGS`) on the field, cleaned; a code
    list may be given by its code."""
    for name, value in values.items():
        if name == "code_list":
            field.code_list = _resolve_code_list(value)
        elif name == "aliases":
            field.aliases = [
                a for a in clean_list(value) if a != (values.get("label") or field.label)
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


def ensure_loosening_noted(
    actor: User, before: Mapping[str, object], after: Mapping[str, object], note: str
) -> None:
    """A loosening of a field's disclosure is the credit office's, with a
    reason kept as the new version's note."""
    loose = loosened(before, after)
    if not loose:
        return
    ensure_privacy_change(actor, set(loose))
    if not (note or "").strip():
        raise ApplicationError(
            "note_required",
            _("放宽字段“%(label)s”的公开或遮蔽须填写变更说明（记入版本记录）")
            % {"label": after.get("label") or before.get("label") or ""},
            {"note": [_("放宽公开或遮蔽须填写变更说明")]},
        )


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
    is_public: bool = False,
    masking: str = "",
    help_text: str = "",
    position: int | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> CatalogField:
    """Add a field (at 1-based `position`, default last) and publish a new version.

    A new field is not public unless the credit office makes it so."""
    ensure_item_edit(actor, item)
    siblings = fields_of(item)
    field = CatalogField(item=item)
    prepare_field(
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
    # A new field starts not public and without a role unless the credit
    # office says otherwise.
    ensure_privacy_change(
        actor,
        {
            name
            for name, value in (("is_public", field.is_public), ("masking", field.masking))
            if value
        }
        | ({"role"} if field.role else set()),
    )
    problems = field_problems(field, siblings)
    if problems:
        raise invalid(problems)
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
    publish_version(
        item,
        actor=actor,
        note=note or _("新增字段“%(label)s”") % {"label": field.label},
        request=request,
    )
    return field


@transaction.atomic
def catalog_field_update(
    *,
    actor: User,
    field: CatalogField,
    changes: Mapping[str, Any],
    note: str = "",
    request: HttpRequest | None = None,
) -> CatalogField:
    """Change a field (`changes`: names of `FIELD_SETTINGS` or `position` → new values)."""
    item = field.item
    ensure_item_edit(actor, item)
    unknown = set(changes) - {*FIELD_SETTINGS, "position"}
    if unknown:
        raise ValueError(f"unknown field attributes: {sorted(unknown)}")
    siblings = fields_of(item)
    current = next((f for f in siblings if f.pk == field.pk), None)
    if current is None:
        raise NotFoundError("not_found", _("未找到该字段"))
    field = current
    before = _field_state(field)
    old_key = field.key
    prepare_field(field, {k: v for k, v in changes.items() if k != "position"})
    problems = field_problems(field, siblings)
    if problems:
        raise invalid(problems)
    ordered = _move(siblings, field, changes["position"]) if "position" in changes else siblings
    field.order = ordered.index(field) + 1
    after = _field_state(field)
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return field
    ensure_privacy_change(actor, set(changed))
    ensure_loosening_noted(actor, before, after, note)
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
    publish_version(
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
    request: HttpRequest | None = None,
) -> CatalogField:
    """Point a field at a code list (its type becomes `code_list`)."""
    changes: dict[str, Any] = {"code_list": code_list}
    if code_list:
        changes["type"] = CatalogField.Type.CODE_LIST
    return catalog_field_update(
        actor=actor, field=field, changes=changes, note=note, request=request
    )


@transaction.atomic
def catalog_field_remove(
    *, actor: User, field: CatalogField, note: str = "", request: HttpRequest | None = None
) -> None:
    """Remove a field and publish a new version (old versions keep it)."""
    item = field.item
    ensure_item_edit(actor, item)
    if field.role:
        ensure_privacy_change(actor, {"role"})
    siblings = fields_of(item)
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
    republish_if_published(
        item, actor=actor, note=note or _("删除字段“%(label)s”") % {"label": label}, request=request
    )
