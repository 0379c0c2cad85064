"""The staff home's panels of the rights app (see `orgs.home`)."""

from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.rights.coverage import cached_ratio
from xinyong.rights.repair_selectors import repair_alerts
from xinyong.rights.selectors import objection_alerts


def panels(request: StaffRequest) -> list[Panel]:
    found = []
    alerts = objection_alerts(request.user)
    if alerts.waiting:
        found.append(Panel("rights/_home_alerts.html", {"alerts": alerts}, order=10))
    repairs = repair_alerts(request.user)
    if repairs.waiting:
        found.append(Panel("rights/_home_repair_alerts.html", {"alerts": repairs}, order=11))
    return found + plan_panels(request) + disclosure_panels(request)


def disclosure_panels(request: StaffRequest) -> list[Panel]:
    """The counter's 信息主体查询 (知情), for the credit office."""
    if not request.user.is_credit_office:
        return []
    return [Panel("rights/_home_disclosure.html", {}, order=90)]


def plan_panels(request: StaffRequest) -> list[Panel]:
    """The credit office's figures of the plan on commitments and repair training."""
    if not request.user.is_credit_office:
        return []
    return [
        Panel(
            "rights/_home_plan.html",
            {
                "commitment": cached_ratio("commitment_ratio"),
                "training": cached_ratio("training_coverage"),
            },
            order=40,
        )
    ]
