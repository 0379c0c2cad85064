"""The staff home's panels of the rights app (see `orgs.home`)."""

from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.rights.coverage import commitment_ratio, training_coverage
from xinyong.rights.selectors import objection_alerts


def panels(request: StaffRequest) -> list[Panel]:
    alerts = objection_alerts(request.user)
    found = (
        [Panel("rights/_home_alerts.html", {"alerts": alerts}, order=10)] if alerts.waiting else []
    )
    return found + plan_panels(request)


def plan_panels(request: StaffRequest) -> list[Panel]:
    """The credit office's figures of the plan on commitments and repair training."""
    if not request.user.is_credit_office:
        return []
    return [
        Panel(
            "rights/_home_plan.html",
            {"commitment": commitment_ratio(), "training": training_coverage()},
            order=40,
        )
    ]
