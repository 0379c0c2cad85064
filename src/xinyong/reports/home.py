"""The staff home's panels of reports (see `orgs.home`): the month's reports and those
still being printed, for the credit office and the counter's staff; the filings of credit
service agencies awaiting review (and overdue), for the credit office; an agency's own
filings, for its users."""

from xinyong.core import clock
from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.reports.models import AgencyReport, Report
from xinyong.reports.selectors import filings_for, reports_for


def panels(request: StaffRequest) -> list[Panel]:
    user = request.user
    found: list[Panel] = []
    qs = reports_for(user)
    first = clock.today().replace(day=1)
    count = qs.filter(status=Report.Status.ISSUED, issued_on__gte=first).count()
    running = qs.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).count()
    if count or running or user.is_credit_office or user.is_agency:
        found.append(
            Panel(
                "reports/_home.html",
                {"count": count, "running": running},
                order=40,
                for_agency=True,
            )
        )
    waiting = filings_for(user).filter(status=AgencyReport.Status.SUBMITTED)
    n_waiting = waiting.count()
    if n_waiting or user.is_credit_office or user.is_agency:
        overdue = waiting.filter(due_on__lt=clock.today()).count() if n_waiting else 0
        found.append(
            Panel(
                "reports/_home_filings.html",
                {"waiting": n_waiting, "overdue": overdue},
                order=41,
                for_agency=True,
            )
        )
    return found
