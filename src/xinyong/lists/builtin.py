"""Loading the shipped list types (`data/builtin_list_types.json`).

Used by the data migration `0002_builtin_list_types` (historical models), by
the `post_migrate` receiver (after a `flush`) and by the demo. Idempotent: it
creates the list types that are missing and leaves existing ones as the
credit office edited them. Deciding departments are attached only by
`attach_default_deciders` (departments may not exist when migrations run).
"""

import json
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

from xinyong.core import clock

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "builtin_list_types.json"
ATTRIBUTES = (
    "name",
    "kind",
    "source",
    "legal_basis",
    "standard",
    "period_rule",
    "period_years",
    "early_removal",
    "early_removal_after_months",
    "removal_procedure",
    "remedies",
    "measures",
    "publish_persons",
    "notice_workdays",
    "note",
)


def builtin_list_types() -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(BUILTIN_PATH.read_text(encoding="utf-8"))
    types: list[dict[str, Any]] = data["list_types"]
    return types


def load_builtin(apps: Apps | None = None) -> list[str]:
    """Create the shipped list types that are missing; returns their codes."""
    apps = apps or global_apps
    list_type_model = apps.get_model("lists", "ListType")
    item_model = apps.get_model("catalog", "CatalogItem")
    existing = set(list_type_model.objects.values_list("code", flat=True))
    created = []
    now = clock.now()
    for spec in builtin_list_types():
        if spec["code"] in existing:
            continue
        feed_item = None
        if spec.get("feed_item"):
            feed_item = item_model.objects.filter(code=spec["feed_item"]).first()
            if feed_item is None:  # the catalog item was deleted: skip rather than break
                continue
        list_type_model.objects.create(
            code=spec["code"],
            feed_item=feed_item,
            is_builtin=True,
            created_at=now,
            updated_at=now,
            **{name: spec[name] for name in ATTRIBUTES},
        )
        created.append(spec["code"])
    return created


def attach_default_deciders() -> None:
    """Give each shipped list type its deciding departments (by short code)
    where it has none yet and the departments exist (the demo's)."""
    from xinyong.lists.models import ListType
    from xinyong.orgs.models import Department

    for spec in builtin_list_types():
        list_type = ListType.objects.filter(code=spec["code"]).first()
        if list_type is None or list_type.deciders.exists():
            continue
        departments = Department.objects.filter(short_code__in=spec.get("deciders", []))
        list_type.deciders.add(*departments)
