"""Background work of oversight: the monthly 通报 on the 5th working day.

`monthly_report` is periodic (hourly, like the daily disclosure job): from
the 5th working day of a month on, it generates the previous month's 通报
unless it exists, so a worker that was down that day catches up the next
time it runs, and a second run changes nothing."""

import datetime as dt

from xinyong.core import clock
from xinyong.core.tasks import periodic, task
from xinyong.oversight.models import MonthlyReport
from xinyong.oversight.periods import Month
from xinyong.oversight.services.reports import report_generate


def report_due(today: dt.date) -> Month | None:
    """The month whose 通报 is due on `today` and not made yet, if any."""
    month = Month.of(today).previous()
    if today < month.report_day():
        return None
    if MonthlyReport.objects.filter(month=month.start).exists():
        return None
    return month


def run_monthly(today: dt.date) -> str:
    month = report_due(today)
    if month is None:
        return ""
    report_generate(month=month)
    return str(month)


@task()
def monthly_report() -> str:
    """Generate the 通报 that is due today; returns its month ("" when none)."""
    return run_monthly(clock.today())


periodic(monthly_report, every=dt.timedelta(hours=1))


@task()
def generate_report(month: str) -> str:
    """The credit office's "generate again now" (the page answers at once)."""
    report_generate(month=Month.parse(month), force=True)
    return month
