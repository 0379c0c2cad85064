"""联合奖惩: check coverage (应查尽查), feedback on time, cases against the quota."""

import math
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.periods import Month
from xinyong.sanctions import selectors
from xinyong.sanctions.models import Feedback


@indicator(
    "check_coverage",
    label=_("应查尽查率"),
    numerator=_("决定前已核查"),
    denominator=_("许可和处罚决定"),
    weight=10,
    basis=_("国办发〔2016〕33号：联合奖惩应查尽查"),
)
def check_coverage(month: Month, department_ids: list[int] | None) -> Tallies:
    """The department's 行政许可 and 行政处罚 decided in the month whose subject
    it checked first (`sanctions.selectors.coverage`)."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in selectors.coverage(start=month.start, end=month.end, department_ids=department_ids):
        sums[row.department_id][0] += row.checked
        sums[row.department_id][1] += row.decisions
    return {pk: Tally(c, n) for pk, (c, n) in sums.items()}


@indicator(
    "feedback_on_time",
    label=_("核查反馈及时率"),
    numerator=_("按时反馈"),
    denominator=_("反馈"),
    weight=10,
    basis=_("各合作备忘录：定期反馈联合奖惩实施情况"),
)
def feedback_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """Feedback given in the month on the department's checks, and those
    given by their due day (`Feedback.is_late`)."""
    start, end = month.aware_bounds()
    qs = Feedback.objects.filter(created_at__gte=start, created_at__lt=end)
    if department_ids is not None:
        qs = qs.filter(check_run__department_id__in=department_ids)
    rows = qs.values("check_run__department_id").annotate(
        n=Count("id"), ok=Count("id", filter=Q(is_late=False))
    )
    return {
        r["check_run__department_id"]: Tally(r["ok"], r["n"])
        for r in rows
        if r["check_run__department_id"] is not None
    }


@indicator(
    "cases_quota",
    label=_("案例报送完成率"),
    numerator=_("已发布案例（计入定额）"),
    denominator=_("年度定额"),
    weight=5,
    basis=_("神信用办〔2018〕1号 三：每部门每年至少3个联合奖惩案例"),
    cumulative=True,
)
def cases_quota(month: Month, department_ids: list[int] | None) -> Tallies:
    """Cases published in the year so far (`sanctions.selectors.quotas`)
    against the share of the yearly quota due by the month's end (3 a year:
    1 by April, 2 by August, 3 by December), capped at that share."""
    quotas = selectors.quotas(year=month.year, department_ids=department_ids)
    result = {}
    for q in quotas.departments:
        due = math.ceil(q.target * month.month / 12)
        if due:
            result[q.department_id] = Tally(min(q.published, due), due)
    return result
