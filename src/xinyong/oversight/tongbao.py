"""The content of a monthly 通报: district totals against the month before,
the ranking, 表扬 and 通报批评, the trend over six months and its charts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from xinyong.oversight import charts
from xinyong.oversight.activity import Activity, department_activity
from xinyong.oversight.indicators.registry import Indicator, Tally, indicators
from xinyong.oversight.models import MonthlyFigures
from xinyong.oversight.periods import Month
from xinyong.oversight.scoring import DepartmentFigures, Scheme, compute_month

TREND_MONTHS = 6
# The district lines drawn in the trend chart.
TREND_INDICATORS = (
    "intake_on_time",
    "publication_on_time",
    "publication_compliance",
    "check_coverage",
)


@dataclass
class DistrictLine:
    indicator: Indicator
    now: Tally
    before: Tally

    @property
    def change(self) -> float | None:
        if self.now.rate is None or self.before.rate is None:
            return None
        return round(100 * (self.now.rate - self.before.rate), 1)


@dataclass
class Mention:
    figures: DepartmentFigures
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityRow:
    name: str
    activity: Activity


@dataclass
class Tongbao:
    month: Month
    scheme: Scheme
    figures: list[DepartmentFigures]
    district: list[DistrictLine]
    praised: list[Mention]
    criticised: list[Mention]
    trend_months: list[str]
    ranking_svg: str
    trend_svg: str
    # Counted from the audit log's declared actions (`activity`).
    activity: dict[int, Activity] = field(default_factory=dict)

    @property
    def activity_rows(self) -> list[ActivityRow]:
        """Departments by their number of actions, the idle ones last."""
        rows = [
            ActivityRow(f.name, self.activity.get(f.department_id, Activity()))
            for f in self.figures
        ]
        return sorted(rows, key=lambda r: (-r.activity.total, r.name))

    @property
    def ranked(self) -> list[DepartmentFigures]:
        return sorted(
            (f for f in self.figures if f.rank is not None), key=lambda f: (f.rank, f.name)
        )

    @property
    def unranked(self) -> list[DepartmentFigures]:
        return [f for f in self.figures if f.rank is None]

    def summary(self) -> dict[str, object]:
        scores = [f.score for f in self.figures if f.score is not None]
        return {
            "departments": len(self.figures),
            "ranked": len(scores),
            "average": round(sum(scores) / len(scores), 1) if scores else None,
            "praised": [m.figures.name for m in self.praised],
            "criticised": [m.figures.name for m in self.criticised],
            "first": self.ranked[0].name if self.ranked else None,
            "idle": [r.name for r in self.activity_rows if not r.activity.total],
        }


def district_sum(figures: list[DepartmentFigures], code: str) -> Tally:
    return Tally(
        sum(f.tally(code).numerator for f in figures),
        sum(f.tally(code).denominator for f in figures),
    )


def district_total(figures: list[DepartmentFigures], indicator: Indicator, month: Month) -> Tally:
    """The district's figure for a month: the indicator's own count of the district when it
    has one (each subject once), else the departments' sum."""
    if indicator.district is not None:
        return indicator.district(month)
    return district_sum(figures, indicator.code)


def stored_or_computed(month: Month, scheme: Scheme) -> list[DepartmentFigures]:
    """A month's figures as the 通报 stored them, else computed now."""
    stored = list(MonthlyFigures.objects.filter(month=month.start).select_related("department"))
    if not stored:
        return compute_month(month, scheme=scheme)
    result = []
    for row in stored:
        tallies = {code: Tally(v["numerator"], v["denominator"]) for code, v in row.values.items()}
        fig = DepartmentFigures(
            row.department_id, row.department.name, row.department.short_code, tallies
        )
        fig.score = row.score
        result.append(fig)
    return result


def _shortfalls(fig: DepartmentFigures) -> list[str]:
    """The indicators below their target, in words."""
    reasons = []
    for r in fig.results:
        if r.points is None or r.weight <= 0 or r.points >= r.weight - 1e-9:
            continue
        reasons.append(
            _("%(label)s %(rate).1f%%（目标%(sign)s%(target).0f%%）")
            % {
                "label": r.indicator.label,
                "rate": 100 * (r.rate or 0),
                "sign": "≥" if r.indicator.higher_is_better else "≤",
                "target": 100 * r.target,
            }
        )
    return reasons


def build(month: Month, scheme: Scheme) -> Tongbao:
    figures = compute_month(month, scheme=scheme)
    before = stored_or_computed(month.previous(), scheme)
    district = [
        DistrictLine(
            i, district_total(figures, i, month), district_total(before, i, month.previous())
        )
        for i in indicators()
    ]
    praised = [Mention(f) for f in figures if f.score is not None and f.score >= scheme.praise_at]
    criticised = [
        Mention(f, _shortfalls(f))
        for f in figures
        if f.score is not None and f.score < scheme.criticise_below
    ]
    praised.sort(key=lambda m: m.figures.rank or 0)
    criticised.sort(key=lambda m: -(m.figures.rank or 0))

    months = month.back(TREND_MONTHS)
    per_month = [stored_or_computed(m, scheme) for m in months[:-1]] + [figures]
    by_code = {i.code: i for i in indicators()}
    series: dict[str, list[float | None]] = {}
    for code in TREND_INDICATORS:
        rates = [
            district_total(f, by_code[code], m).rate for f, m in zip(per_month, months, strict=True)
        ]
        series[str(by_code[code].label)] = [None if r is None else round(100 * r, 1) for r in rates]
    averages = []
    for figs in per_month:
        scores = [f.score for f in figs if f.score is not None]
        averages.append(round(sum(scores) / len(scores), 1) if scores else None)
    series[_("平均得分")] = averages
    ranked = sorted((f for f in figures if f.rank is not None), key=lambda f: (f.rank, f.name))
    return Tongbao(
        month=month,
        scheme=scheme,
        figures=figures,
        district=district,
        praised=praised,
        criticised=criticised,
        trend_months=[f"{m.month}月" for m in months],
        ranking_svg=charts.ranking_bars(
            _("%(m)s各部门得分") % {"m": month.label},
            [f.name for f in ranked],
            [f.score or 0.0 for f in ranked],
        ),
        trend_svg=charts.trend_lines(
            _("近%(n)d个月全区指标走势") % {"n": TREND_MONTHS},
            [f"{m.month}月" for m in months],
            series,
        ),
        activity=department_activity(month, [f.department_id for f in figures]),
    )
