"""The staff home as the day's work: each app contributes panels.

orgs sits at the top of the layers and cannot import the apps below it, so
the home page discovers them, as `xinyong demo` does: an app that has a
`home` module with `panels(request) -> list[Panel]` adds its panels, in the
order of INSTALLED_APPS and then of each panel's `order`. A panel is a
template (included with the panel's context) and is computed from data; an
app that has nothing for this user returns no panel.
"""

import importlib
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, NamedTuple

from django.apps import apps

from xinyong.orgs.http import StaffRequest
from xinyong.orgs.notices import notices_for


class Panel(NamedTuple):
    template: str
    context: Mapping[str, Any]
    order: int = 100
    # Shown to a credit service agency's users too (orgs.permissions.AGENCY_PAGES): only a
    # panel whose links they may open.
    for_agency: bool = False


PanelSource = Callable[[StaffRequest], list[Panel]]


@cache
def _sources() -> tuple[PanelSource, ...]:
    sources = []
    for config in apps.get_app_configs():
        if not config.name.startswith("xinyong."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
            continue
        source = getattr(module, "panels", None)
        if source is not None:
            sources.append(source)
    return tuple(sources)


def panels_for(request: StaffRequest) -> list[Panel]:
    """Every app's panels for this user, in a stable order."""
    found: list[Panel] = []
    for source in _sources():
        found.extend(source(request))
    if request.user.is_agency:
        found = [panel for panel in found if panel.for_agency]
    return sorted(found, key=lambda panel: panel.order)


def panels(request: StaffRequest) -> list[Panel]:
    """orgs' own panel: the latest notices to the user's department (or the credit office)."""
    recent = list(notices_for(request.user)[:10])
    return (
        [Panel("orgs/_home_notices.html", {"notices": recent}, order=5, for_agency=True)]
        if recent
        else []
    )
