"""The shipped reference data: action domains and the memoranda the district
uses (`data/memoranda.json`), loaded by migration 0002 and again after a
`flush`. Idempotent: what exists is left as the credit office edited it."""

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from django.apps.registry import Apps

DATA = Path(__file__).with_name("data") / "memoranda.json"


@functools.cache
def builtin_data() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return result


def load_builtin(apps: Apps | None = None) -> int:
    """Create the shipped domains and memoranda that are missing; `apps`: the
    migration's historical models. Returns how many rows were created."""
    from django.apps import apps as live_apps

    registry = apps or live_apps
    Domain = registry.get_model("sanctions", "ActionDomain")
    Memorandum = registry.get_model("sanctions", "Memorandum")
    Measure = registry.get_model("sanctions", "Measure")
    data = builtin_data()
    created = 0
    domains = {}
    for order, (code, name, note) in enumerate(data["domains"]):
        domain, new = Domain.objects.get_or_create(
            code=code, defaults={"name": name, "note": note, "order": order}
        )
        domains[code] = domain
        created += new
    for memo in data["memoranda"]:
        if Memorandum.objects.filter(code=memo["code"]).exists():
            continue
        memorandum = Memorandum.objects.create(
            code=memo["code"],
            title=memo["title"],
            document_number=memo["document_number"],
            issued_on=dt.date.fromisoformat(memo["issued_on"]),
            issuers=memo["issuers"],
            kind=memo["kind"],
            list_codes=memo["list_codes"],
            feedback_rule=memo["feedback_rule"],
            source_note=memo["source_note"] + "\n" + data["note"],
        )
        created += 1
        for number, (code, content, targets, basis, body, force, *reward) in enumerate(
            memo["measures"], start=1
        ):
            Measure.objects.create(
                memorandum=memorandum,
                number=number,
                domain=domains[code] if code in domains else Domain.objects.get(code=code),
                content=content,
                targets=targets,
                legal_basis=basis,
                implementing_body=body,
                force=force,
                is_reward=bool(reward and reward[0]),
            )
            created += 1
    return created
