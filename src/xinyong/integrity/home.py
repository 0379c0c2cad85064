"""The staff home's panel of `integrity`: breach complaints waiting and due."""

from xinyong.integrity import selectors
from xinyong.integrity.models import GovComplaint
from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest


def panels(request: StaffRequest) -> list[Panel]:
    user = request.user
    queue = selectors.complaint_queue_for(user)
    open_ = queue.filter(status__in=[GovComplaint.Status.SUBMITTED, GovComplaint.Status.ACCEPTED])
    readable = selectors.readable_items(user).exists()
    if not open_.exists() and not readable and not user.is_credit_office:
        return []
    return [
        Panel(
            "integrity/_home.html",
            {
                "open": open_.count(),
                "overdue": selectors.complaint_overdue(queue).count(),
                "readable": readable,
            },
            order=45,
        )
    ]
