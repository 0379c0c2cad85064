"""The staff home's panel of reports (see `orgs.home`): the month's reports and those
still being printed, for the credit office and the counter's staff."""

from xinyong.core import clock
from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.reports.models import Report
from xinyong.reports.selectors import reports_for


def panels(request: StaffRequest) -> list[Panel]:
    qs = reports_for(request.user)
    first = clock.today().replace(day=1)
    count = qs.filter(status=Report.Status.ISSUED, issued_on__gte=first).count()
    running = qs.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).count()
    if not (count or running or request.user.is_credit_office):
        return []
    return [Panel("reports/_home.html", {"count": count, "running": running}, order=40)]
