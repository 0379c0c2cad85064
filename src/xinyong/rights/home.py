"""The staff home's panels of the rights app (see `orgs.home`)."""

from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.rights.selectors import objection_alerts


def panels(request: StaffRequest) -> list[Panel]:
    alerts = objection_alerts(request.user)
    found = disclosure_panels(request)
    if not alerts.waiting:
        return found
    return [Panel("rights/_home_alerts.html", {"alerts": alerts}, order=10), *found]


def disclosure_panels(request: StaffRequest) -> list[Panel]:
    """The counter's 信息主体查询 (知情), for the credit office."""
    if not request.user.is_credit_office:
        return []
    return [Panel("rights/_home_disclosure.html", {}, order=90)]
