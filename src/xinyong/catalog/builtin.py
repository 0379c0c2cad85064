"""Loading the built-in catalog (`data/builtin_items.json`).

Used by the data migrations `0002_builtin_items` and `0003_builtin_upgrades`
(with historical models) and by `xinyong catalog load-builtin`. Idempotent:
it creates the code lists and items that are missing and leaves existing ones
exactly as they are, so the credit office's later edits are never
overwritten. The file's `upgrades` are later versions of built-in items: a
field that no version of the item has ever had is added, and a new version
published (version 1 is never edited). Owning departments are
not set here (departments may not exist when migrations run).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model

from xinyong.catalog.schema import JsonObject, item_snapshot
from xinyong.core import clock

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "builtin_items.json"
ITEM_ATTRIBUTES = (
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
    "is_restricted",  # in the files of later apps only (integrity): restricted items
)
FIELD_ATTRIBUTES = (
    "key",
    "label",
    "aliases",
    "type",
    "role",
    "required",
    "max_length",
    "pattern",
    "identifier_kind",
    "is_public",
    "masking",
    "help_text",
)


@dataclass
class LoadResult:
    code_lists_created: list[str] = field(default_factory=list)
    code_lists_kept: list[str] = field(default_factory=list)
    items_created: list[str] = field(default_factory=list)
    items_kept: list[str] = field(default_factory=list)
    items_upgraded: list[str] = field(default_factory=list)


def read_builtin(path: Path = BUILTIN_PATH) -> JsonObject:
    with open(path, encoding="utf-8") as handle:
        data: JsonObject = json.load(handle)
    return data


def load_builtin(
    apps: Apps | None = None, *, using: str = DEFAULT_DB_ALIAS, path: Path = BUILTIN_PATH
) -> LoadResult:
    """Create the missing built-in code lists and items, each item with version 1."""
    with transaction.atomic(using=using):
        return _load(apps or global_apps, using, path)


def ensure_builtin(
    sender: AppConfig | None = None,
    *,
    apps: Apps | None = None,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: object,
) -> None:
    """`post_migrate` receiver: put the built-in catalog back after a flush.

    `migrate` loads it through migration 0002; but `flush` (run between
    TransactionTestCase tests, live-server tests included) empties every
    table and then sends `post_migrate`, as it does for content types."""
    try:
        apps = apps or global_apps
        apps.get_model("catalog", "CatalogItem")
        apps.get_model("core", "AuditLog")
    except LookupError:  # the catalog or core app is migrated back to zero
        return
    tables = set(connections[using].introspection.table_names())
    if not {"catalog_catalogitem", "catalog_codelist", "core_auditlog"} <= tables:
        return
    load_builtin(apps, using=using)


def _load(apps: Apps, using: str, path: Path) -> LoadResult:
    code_list_rows = apps.get_model("catalog", "CodeList")._default_manager.db_manager(using)
    item_rows = apps.get_model("catalog", "CatalogItem")._default_manager.db_manager(using)
    field_rows = apps.get_model("catalog", "CatalogField")._default_manager.db_manager(using)
    version_rows = apps.get_model("catalog", "CatalogItemVersion")._default_manager.db_manager(
        using
    )
    audit_rows = apps.get_model("core", "AuditLog")._default_manager.db_manager(using)
    data = read_builtin(path)
    result = LoadResult()
    now = clock.now()

    def audit(action: str, object_type: str, obj: Model, label: str, after: JsonObject) -> None:
        # Written directly (not through core.audit) so that it works with
        # the historical models of a migration too.
        audit_rows.create(
            at=now,
            actor=None,
            actor_label="系统",
            action=action,
            object_type=object_type,
            object_id=str(obj.pk),
            object_label=label,
            after=after,
            reason="载入内置目录",
        )

    code_lists = {}
    for spec in data["code_lists"]:
        code_list = code_list_rows.filter(code=spec["code"]).first()
        if code_list is None:
            code_list = code_list_rows.create(
                code=spec["code"],
                name=spec["name"],
                values=list(spec["values"]),
                prefixes=list(spec.get("prefixes") or []),
                legal_basis=spec.get("legal_basis", ""),
            )
            result.code_lists_created.append(spec["code"])
            audit(
                "code_list.create",
                "catalog.CodeList",
                code_list,
                spec["name"],
                {
                    "code": spec["code"],
                    "values": spec["values"],
                    "prefixes": spec.get("prefixes", []),
                },
            )
        else:
            result.code_lists_kept.append(spec["code"])
        code_lists[spec["code"]] = code_list

    for spec in data["items"]:
        if item_rows.filter(code=spec["code"]).exists():
            result.items_kept.append(spec["code"])
            continue
        item = item_rows.create(
            code=spec["code"],
            is_builtin=True,
            **{name: spec[name] for name in ITEM_ATTRIBUTES if name in spec},
        )
        for order, field_spec in enumerate(spec["fields"], start=1):
            code_list_code = field_spec.get("code_list")
            if code_list_code and code_list_code not in code_lists:
                code_lists[code_list_code] = code_list_rows.get(code=code_list_code)
            field_rows.create(
                item=item,
                order=order,
                code_list=code_lists[code_list_code] if code_list_code else None,
                **{name: field_spec[name] for name in FIELD_ATTRIBUTES if name in field_spec},
            )
        if spec.get("readers"):
            # The reader departments of a restricted item, by short code, as
            # far as they exist yet (`bind_builtin_readers` adds the others).
            departments = apps.get_model("orgs", "Department")._default_manager.db_manager(using)
            item.readers.add(*departments.filter(short_code__in=spec["readers"]))
        fields = list(
            field_rows.filter(item=item).select_related("code_list").order_by("order", "id")
        )
        version = version_rows.create(
            item=item,
            number=1,
            schema=item_snapshot(item, fields),
            note="内置目录事项",
            created_at=now,
        )
        item.current_version = version
        item.save(update_fields=["current_version"], using=using)
        result.items_created.append(spec["code"])
        audit(
            "catalog_item.create",
            "catalog.CatalogItem",
            item,
            f"{item.code} {item.name}",
            {"code": item.code, "version": 1, "fields": len(fields), "builtin": True},
        )
    for upgrade in data.get("upgrades", []):
        item = item_rows.filter(code=upgrade["item"]).first()
        if item is None:
            continue
        had = {
            spec["key"]
            for schema in version_rows.filter(item=item).values_list("schema", flat=True)
            for spec in (schema or {}).get("fields", [])
        } | set(field_rows.filter(item=item).values_list("key", flat=True))
        new_specs = [spec for spec in upgrade["add_fields"] if spec["key"] not in had]
        if not new_specs:
            continue
        last = max(field_rows.filter(item=item).values_list("order", flat=True), default=0)
        for order, field_spec in enumerate(new_specs, start=last + 1):
            code_list_code = field_spec.get("code_list")
            if code_list_code and code_list_code not in code_lists:
                code_lists[code_list_code] = code_list_rows.get(code=code_list_code)
            field_rows.create(
                item=item,
                order=order,
                code_list=code_lists[code_list_code] if code_list_code else None,
                **{name: field_spec[name] for name in FIELD_ATTRIBUTES if name in field_spec},
            )
        fields = list(
            field_rows.filter(item=item).select_related("code_list").order_by("order", "id")
        )
        number = max(version_rows.filter(item=item).values_list("number", flat=True), default=0)
        version = version_rows.create(
            item=item,
            number=number + 1,
            schema=item_snapshot(item, fields),
            note=upgrade["note"],
            created_at=now,
        )
        item.current_version = version
        item.save(update_fields=["current_version"], using=using)
        result.items_upgraded.append(item.code)
        audit(
            "catalog_item.publish",
            "catalog.CatalogItem",
            item,
            f"{item.code} {item.name}",
            {
                "code": item.code,
                "version": version.number,
                "added_fields": [spec["key"] for spec in new_specs],
                "builtin": True,
            },
        )
    return result


def bind_builtin_readers(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Give the built-in restricted items of `path` their reader departments
    (by short code) where these exist now and the item has none: departments
    are made after migrations (`xinyong demo`, the admin). Returns the codes
    of the items changed. An item whose readers the credit office set is
    left as it is."""
    item_rows = global_apps.get_model("catalog", "CatalogItem")._default_manager.db_manager(using)
    departments = global_apps.get_model("orgs", "Department")._default_manager.db_manager(using)
    changed = []
    for spec in read_builtin(path)["items"]:
        if not spec.get("readers"):
            continue
        item = item_rows.filter(code=spec["code"], is_restricted=True).first()
        if item is None or item.readers.exists():
            continue
        found = list(departments.filter(short_code__in=spec["readers"]))
        if found:
            item.readers.add(*found)
            changed.append(item.code)
    return changed
