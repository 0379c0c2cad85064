"""The staff home's panels of the rights app (see `orgs.home`)."""

from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.rights.selectors import objection_alerts


def panels(request: StaffRequest) -> list[Panel]:
    alerts = objection_alerts(request.user)
    if not alerts.waiting:
        return []
    return [Panel("rights/_home_alerts.html", {"alerts": alerts}, order=10)]
