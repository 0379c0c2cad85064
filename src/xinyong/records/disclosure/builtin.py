"""The shipped rule sets (`records/data/disclosure_rules.json`): 令第36号,
发改办财金〔2019〕527号 and 市场监管总局令第45号."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.apps.registry import Apps

from xinyong.core import clock
from xinyong.records.disclosure.rules import rules_problems

_BUILTIN_FILE = Path(__file__).resolve().parent.parent / "data" / "disclosure_rules.json"


def builtin_rule_sets() -> list[dict[str, Any]]:
    """The rule sets of `records/data/disclosure_rules.json` (JSON as the file holds it)."""
    rule_sets: list[dict[str, Any]] = json.loads(_BUILTIN_FILE.read_text(encoding="utf-8"))[
        "rule_sets"
    ]
    return rule_sets


def load_builtin_rule_sets(apps: Apps | None = None) -> int:
    """Create the shipped rule sets that are missing (an existing one is left
    as the credit office edited it). `apps`: the migration's historical
    models. Returns how many were created."""
    from django.apps import apps as live_apps

    registry = apps or live_apps
    RuleSet = registry.get_model("records", "DisclosureRuleSet")
    CatalogItem = registry.get_model("catalog", "CatalogItem")
    created = 0
    for entry in builtin_rule_sets():
        if RuleSet.objects.filter(code=entry["code"]).exists():
            continue
        problems = rules_problems(entry["rules"])
        if problems:  # a broken shipped file is a bug: fail the migration loudly
            raise ValueError(f"{entry['code']}: {problems}")
        rule_set = RuleSet.objects.create(
            code=entry["code"],
            name=entry["name"],
            basis=entry["basis"],
            scope=entry["scope"],
            effective_from=dt.date.fromisoformat(entry["effective_from"])
            if entry.get("effective_from")
            else None,
            effective_to=dt.date.fromisoformat(entry["effective_to"])
            if entry.get("effective_to")
            else None,
            rules=entry["rules"],
            note=entry.get("note", ""),
            updated_at=clock.now(),
        )
        rule_set.items.set(CatalogItem.objects.filter(code__in=entry.get("items", [])))
        created += 1
    return created
