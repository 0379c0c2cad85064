"""The frozen schema of a catalog version, and the difference between two.

This is a contract: the ingest pipeline, the record pages and the exchange
read `CatalogItemVersion.schema` in this shape. Add keys, never rename or
remove one.

    {"item": "XZCF", "name": "行政处罚", "category": "penalty", "nature": "negative",
     "disclosure": "public", "submit_within": 7, "submit_unit": "days",
     "publish_within_workdays": 7, "legal_basis": "…", "description": "…",
     "key_fields": [],            # empty: the doc_number field identifies a record
     "fields": [{"key", "label", "aliases", "type", "role", "required", "max_length",
                 "pattern", "choices", "choice_prefixes", "identifier_kind",
                 "is_public", "masking", "help_text"}, … in order]}

`choices` and `choice_prefixes` copy the code list (so a later change of the
list leaves old versions as they were); both are null unless the field's
type is `code_list`.

These functions read plain attributes only, so the data migration can call
them with historical models.
"""

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

# A JSON object: a version's frozen schema, one field of it, or one change between two;
# its values are what the JSON holds (the shape is above).
JsonObject = dict[str, Any]

IDENTIFIER_KINDS = ("uscc", "resident_id", "registration_number", "organization_code", "any")

ITEM_KEYS = (
    "name",
    "category",
    "nature",
    "disclosure",
    "submit_within",
    "submit_unit",
    "publish_within_workdays",
    "legal_basis",
    "description",
    "key_fields",
)
FIELD_KEYS = (
    "label",
    "aliases",
    "type",
    "role",
    "required",
    "max_length",
    "pattern",
    "choices",
    "choice_prefixes",
    "identifier_kind",
    "is_public",
    "masking",
    "help_text",
)


def field_snapshot(field: Any) -> JsonObject:  # noqa: ANN401 - a CatalogField, live or a migration's historical model
    """One field as it is frozen into a version."""
    code_list = field.code_list if field.type == "code_list" else None
    return {
        "key": field.key,
        "label": field.label,
        "aliases": list(field.aliases or []),
        "type": field.type,
        "role": field.role or "",
        "required": bool(field.required),
        "max_length": field.max_length,
        "pattern": field.pattern or "",
        "choices": list(code_list.values) if code_list is not None else None,
        "choice_prefixes": list(code_list.prefixes or []) if code_list is not None else None,
        "identifier_kind": field.identifier_kind or "",
        "is_public": bool(field.is_public),
        "masking": field.masking or "",
        "help_text": field.help_text or "",
    }


def item_snapshot(item: Any, fields: list[Any]) -> JsonObject:  # noqa: ANN401 - as field_snapshot
    """The schema of an item with these fields (in their order)."""
    return {
        "item": item.code,
        "name": item.name,
        "category": item.category,
        "nature": item.nature,
        "disclosure": item.disclosure,
        "submit_within": item.submit_within,
        "submit_unit": item.submit_unit,
        "publish_within_workdays": item.publish_within_workdays,
        "legal_basis": item.legal_basis or "",
        "description": item.description or "",
        "key_fields": list(item.key_fields or []),
        "fields": [field_snapshot(f) for f in fields],
    }


def item_attribute_labels() -> dict[str, str]:
    return {
        "name": _("名称"),
        "category": _("类别"),
        "nature": _("性质"),
        "disclosure": _("公开属性"),
        "submit_within": _("报送时限"),
        "submit_unit": _("报送时限单位"),
        "publish_within_workdays": _("公示时限（工作日）"),
        "legal_basis": _("依据"),
        "description": _("说明"),
        "key_fields": _("记录标识字段"),
    }


def field_attribute_labels() -> dict[str, str]:
    return {
        "key": _("字段名"),
        "label": _("中文名"),
        "aliases": _("表头别名"),
        "type": _("类型"),
        "role": _("用途"),
        "required": _("必填"),
        "max_length": _("最大长度"),
        "pattern": _("格式（正则）"),
        "choices": _("代码表取值"),
        "choice_prefixes": _("允许的前缀"),
        "identifier_kind": _("代码类型"),
        "is_public": _("公开"),
        "masking": _("遮蔽"),
        "help_text": _("填写说明"),
    }


def schema_diff(old: JsonObject | None, new: JsonObject) -> list[JsonObject]:
    """What changed from `old` to `new` (`old` None: the first version).

    Each change is a dict with `change` one of:
    - `item`: `attribute`, `attribute_label`, `before`, `after`
    - `field_added` / `field_removed`: `key`, `label`, `field` (its snapshot)
    - `field_changed`: `key`, `label` (the new one), `attributes`: a list of
      `{attribute, attribute_label, before, after}`
    - `order`: `before`, `after` (field keys, for the fields in both)
    Fields are matched by key.
    """
    old = old or {"fields": []}
    changes: list[JsonObject] = []
    item_labels = item_attribute_labels()
    if old.get("item") is not None:
        for attribute in ITEM_KEYS:
            before, after = old.get(attribute), new.get(attribute)
            if before != after:
                changes.append(
                    {
                        "change": "item",
                        "attribute": attribute,
                        "attribute_label": item_labels[attribute],
                        "before": before,
                        "after": after,
                    }
                )
    old_fields = {f["key"]: f for f in old["fields"]}
    new_fields = {f["key"]: f for f in new["fields"]}
    field_labels = field_attribute_labels()
    for key, field in new_fields.items():
        if key not in old_fields:
            changes.append(
                {"change": "field_added", "key": key, "label": field["label"], "field": field}
            )
    for key, field in old_fields.items():
        if key not in new_fields:
            changes.append(
                {"change": "field_removed", "key": key, "label": field["label"], "field": field}
            )
    for key, field in new_fields.items():
        before_field = old_fields.get(key)
        if before_field is None:
            continue
        attributes = [
            {
                "attribute": attribute,
                "attribute_label": field_labels[attribute],
                "before": before_field.get(attribute),
                "after": field.get(attribute),
            }
            for attribute in FIELD_KEYS
            if before_field.get(attribute) != field.get(attribute)
        ]
        if attributes:
            changes.append(
                {
                    "change": "field_changed",
                    "key": key,
                    "label": field["label"],
                    "attributes": attributes,
                }
            )
    common_before = [k for k in old_fields if k in new_fields]
    common_after = [k for k in new_fields if k in old_fields]
    if common_before != common_after:
        changes.append({"change": "order", "before": common_before, "after": common_after})
    return changes


# Mirrors `ingest.headers.header_key` (catalog sits below ingest and cannot
# import it): two header forms that normalise alike would be ambiguous.
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_DROP = re.compile(r"[\s*＊:：]+")


def header_form(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).translate(_BRACKETS)
    return _DROP.sub("", text).lower()


def header_forms(key: str, label: str, aliases: list[str]) -> set[str]:
    """Every header by which a file may name this field (as ingest matches them)."""
    forms = {header_form(name) for name in (label, key, *aliases)}
    base = header_form(label).split("(")[0]
    if base:
        forms.add(base)
    forms.discard("")
    return forms
