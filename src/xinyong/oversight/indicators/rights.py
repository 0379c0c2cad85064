"""Rights: objection and repair deadlines kept by the department that
handles them, and the plan's commitment and training ratios (rights.coverage)."""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.periods import Month
from xinyong.rights import coverage
from xinyong.rights.models import Objection, Repair


@indicator(
    "objection_on_time",
    label=_("异议核查及时率"),
    numerator=_("按期核查"),
    denominator=_("到期的异议核查"),
    weight=5,
    basis=_("征信业管理条例第二十五条；本平台异议处理期限"),
)
def objection_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """Objections routed to the department whose verification fell due in the
    month, and those it verified on or before the due day."""
    qs = Objection.objects.filter(verify_due__gte=month.start, verify_due__lte=month.end)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    kept = Q(verified_on__isnull=False, verified_on__lte=F("verify_due"))
    rows = qs.values("department_id").annotate(n=Count("id"), ok=Count("id", filter=kept))
    return {r["department_id"]: Tally(r["ok"], r["n"]) for r in rows}


# Weight 0 in the shipped scheme (its weights add up to 100 without them):
# shown in the monthly figures; the credit office weighs them by revising
# the scheme.
@indicator(
    "repair_on_time",
    label=_("信用修复办理及时率"),
    numerator=_("按期办理"),
    denominator=_("到期的修复受理和办结"),
    weight=0,
    basis=_("《信用修复管理办法》（国家发展改革委令第36号）：谁认定、谁修复，按期办理"),
)
def repair_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """The steps of repair applications the department decides (谁认定谁修复;
    not those the rule gives to the credit office) that fell due in the month,
    each counted once: acceptance (`accept_due`; kept when accepted, or refused,
    by that day) and decision (`decide_due`; kept when decided by that day)."""
    qs = Repair.objects.filter(by_credit_office=False)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    accepted_in_time = Q(accepted_on__isnull=False, accepted_on__lte=F("accept_due")) | Q(
        status=Repair.Status.REFUSED, decided_on__lte=F("accept_due")
    )
    steps = (
        (Q(accept_due__gte=month.start, accept_due__lte=month.end), accepted_in_time),
        (
            Q(decide_due__gte=month.start, decide_due__lte=month.end),
            Q(decided_on__isnull=False, decided_on__lte=F("decide_due")),
        ),
    )
    sums: dict[int, list[int]] = {}
    for due_in_month, kept in steps:
        rows = qs.filter(due_in_month).values("department_id")
        for r in rows.annotate(n=Count("id"), ok=Count("id", filter=kept)):
            tally = sums.setdefault(r["department_id"], [0, 0])
            tally[0] += r["ok"]
            tally[1] += r["n"]
    return {pk: Tally(ok, n) for pk, (ok, n) in sums.items()}


def _as_of(month: Month) -> dt.date:
    """A ratio stands on a day: the month's last, or today in the month under way."""
    return min(month.end, clock.today())


def _tallies(ratios: dict[int, coverage.Ratio]) -> Tallies:
    return {pk: Tally(r.part, r.whole) for pk, r in ratios.items() if r.whole}


def _district_commitments(month: Month) -> Tally:
    ratio = coverage.cached_ratio("commitment_ratio", _as_of(month))
    return Tally(ratio.part, ratio.whole)


def _district_training(month: Month) -> Tally:
    ratio = coverage.cached_ratio("training_coverage", _as_of(month))
    return Tally(ratio.part, ratio.whole)


@indicator(
    "commitment_ratio",
    label=_("失信主体信用修复承诺率"),
    numerator=_("已作信用修复承诺"),
    denominator=_("本部门认定的黑名单主体"),
    weight=0,
    target=float(coverage.COMMITMENT_TARGET),
    basis=_("神农架林区社会信用体系建设工作方案：失信主体信用修复承诺比例不低于30%"),
    cumulative=True,
    district=_district_commitments,
)
def commitment_ratio(month: Month, department_ids: list[int] | None) -> Tallies:
    """Subjects on a black list by the department's decision at the month's
    end, and those with a 信用修复型 commitment (`rights.coverage`)."""
    return _tallies(coverage.commitment_ratio_by_department(_as_of(month), department_ids))


@indicator(
    "training_coverage",
    label=_("信用修复培训覆盖率"),
    numerator=_("已参加修复培训"),
    denominator=_("需参加修复培训的主体"),
    weight=0,
    target=float(coverage.TRAINING_TARGET),
    basis=_("神农架林区社会信用体系建设工作方案：信用修复培训全覆盖"),
    cumulative=True,
    district=_district_training,
)
def training_coverage(month: Month, department_ids: list[int] | None) -> Tallies:
    """Subjects that need repair training for the department's records or
    list entries at the month's end, and those that attended (`rights.coverage`)."""
    return _tallies(coverage.training_coverage_by_department(_as_of(month), department_ids))
