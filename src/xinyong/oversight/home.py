"""The staff home's panels of oversight (see `orgs.home`): a department's
work list, and for the credit office the district's indicators against last
month and what is overdue across departments; the latest 通报 for everyone."""

from dataclasses import dataclass

from django.core.cache import cache

from xinyong.core import clock
from xinyong.core.models import OutboxMessage
from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.oversight import selectors, tongbao
from xinyong.oversight.campaigns.selectors import campaign_rates, campaigns_for
from xinyong.oversight.indicators.registry import indicators
from xinyong.oversight.periods import Month
from xinyong.oversight.scoring import compute_month_cached, scheme_current

# The district figures are recomputed at most this often (seconds): they read
# every department's month, too much for each visit to the home page.
DISTRICT_CACHE_SECONDS = 600


@dataclass(frozen=True)
class DistrictRow:
    label: str
    numerator: int
    denominator: int
    rate: float | None
    before: float | None
    higher_is_better: bool

    @property
    def change(self) -> float | None:
        if self.rate is None or self.before is None:
            return None
        return round(100 * (self.rate - self.before), 1)


def district_rows(month: Month) -> list[DistrictRow]:
    key = f"oversight:district:{month}:{clock.today().isoformat()}"
    rows: list[DistrictRow] | None = cache.get(key)
    if rows is None:
        scheme = scheme_current()
        now = compute_month_cached(month, scheme=scheme)
        before = tongbao.stored_or_computed(month.previous(), scheme)
        rows = []
        for ind in indicators():
            a = tongbao.district_total(now, ind, month)
            b = tongbao.district_total(before, ind, month.previous())
            rows.append(
                DistrictRow(
                    str(ind.label), a.numerator, a.denominator, a.rate, b.rate, ind.higher_is_better
                )
            )
        cache.set(key, rows, DISTRICT_CACHE_SECONDS)
    return rows


def panels(request: StaffRequest) -> list[Panel]:
    user = request.user
    found = []
    latest = selectors.reports_for_staff().first()
    if latest is not None:
        found.append(Panel("oversight/_home_report.html", {"report": latest}, order=40))
    today = clock.today()
    running = campaigns_for(user).filter(ends_on__gte=today)
    rows = [(c, campaign_rates(c)) for c in running[:10]]
    if rows:
        found.append(Panel("oversight/_home_campaigns.html", {"rows": rows}, order=45))
    if user.is_credit_office:
        month = Month.of(today)
        found.append(
            Panel(
                "oversight/_home_district.html",
                {
                    "month": month,
                    "rows": district_rows(month),
                    "overdue": selectors.overdue_by_department(),
                    "outbox_pending": OutboxMessage.objects.filter(
                        delivered_at__isnull=True
                    ).count(),
                },
                order=8,
            )
        )
    elif user.department_id:
        work = selectors.department_work(user)
        found.append(Panel("oversight/_home_work.html", {"work": work}, order=8))
    return found
