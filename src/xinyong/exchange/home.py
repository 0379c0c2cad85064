"""The staff home's panel of the exchange (see `orgs.home`): messages that
failed or are dead, for the credit office and for a department (its own)."""

from xinyong.exchange.selectors import outbox_counts_for
from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest


def panels(request: StaffRequest) -> list[Panel]:
    counts = outbox_counts_for(request.user)
    if not (counts["dead"] or counts["failed"]):
        return []
    return [Panel("exchange/_home_panel.html", {"counts": counts}, order=20)]
