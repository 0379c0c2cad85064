"""Figures and scores: the registry's counts for a month, weighed by the
assessment scheme in force (weights and targets are data, `AssessmentScheme`).

Points of one indicator, weight w and target t, at rate r:
- higher is better: w × min(1, r / t);
- lower is better (code error rates): w when r ≤ t, else w × t / r.
An indicator with nothing to count (denominator 0) is not applicable, and
the score is 100 × points ÷ the weights of the applicable indicators, so a
department is not marked down for work it had none of. No applicable
indicator: no score (not ranked).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import Department
from xinyong.oversight.indicators.registry import Indicator, Tally, indicators
from xinyong.oversight.models import AssessmentScheme
from xinyong.oversight.periods import Month


@dataclass(frozen=True)
class Scheme:
    version: int  # 0: the shipped default, never saved
    name: str
    entries: Mapping[str, Mapping[str, float]]
    praise_at: int = 95
    criticise_below: int = 60

    def weight(self, code: str) -> float:
        return float(self.entries.get(code, {}).get("weight", 0))

    def target(self, code: str, default: float) -> float:
        return float(self.entries.get(code, {}).get("target", default))


def default_scheme() -> Scheme:
    return Scheme(
        version=0,
        name=_("默认考核方案"),
        entries={i.code: {"weight": i.weight, "target": i.target} for i in indicators()},
    )


def scheme_current() -> Scheme:
    saved = AssessmentScheme.objects.order_by("-version").first()
    return scheme_of(saved) if saved is not None else default_scheme()


def scheme_of(saved: AssessmentScheme) -> Scheme:
    return Scheme(
        version=saved.version,
        name=saved.name,
        entries=saved.entries,
        praise_at=saved.praise_at,
        criticise_below=saved.criticise_below,
    )


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    tally: Tally | None
    weight: float
    target: float
    points: float | None  # None: not applicable

    @property
    def rate(self) -> float | None:
        return self.tally.rate if self.tally else None


@dataclass
class DepartmentFigures:
    department_id: int
    name: str
    short_code: str
    tallies: dict[str, Tally]
    results: list[Result] = field(default_factory=list)
    score: float | None = None
    rank: int | None = None

    def tally(self, code: str) -> Tally:
        return self.tallies.get(code) or Tally(0, 0)

    @property
    def rates(self) -> dict[str, float | None]:
        return {code: t.rate for code, t in self.tallies.items()}

    @property
    def received(self) -> int:
        return self.tally("intake_on_time").denominator

    @property
    def late(self) -> int:
        t = self.tally("intake_on_time")
        return t.denominator - t.numerator

    @property
    def publications(self) -> int:
        return self.tally("publication_on_time").denominator

    @property
    def on_time(self) -> int:
        return self.tally("publication_on_time").numerator


def points(ind: Indicator, tally: Tally | None, weight: float, target: float) -> float | None:
    rate = tally.rate if tally else None
    if rate is None:
        return None
    if ind.higher_is_better:
        return weight * (min(1.0, rate / target) if target > 0 else 1.0)
    return weight if rate <= target else weight * target / rate


def score(tallies: Mapping[str, Tally], scheme: Scheme) -> tuple[float | None, list[Result]]:
    results = []
    got = applicable = 0.0
    for ind in indicators():
        weight = scheme.weight(ind.code)
        target = scheme.target(ind.code, ind.target)
        tally = tallies.get(ind.code)
        earned = points(ind, tally, weight, target)
        results.append(Result(ind, tally, weight, target, earned))
        if earned is not None and weight > 0:
            got += earned
            applicable += weight
    return (round(100 * got / applicable, 1) if applicable else None), results


def departments(department_ids: list[int] | None = None) -> list[Department]:
    """The assessed departments: active, other than the credit office and the credit
    service agencies' accounts."""
    qs = Department.objects.government()
    if department_ids is not None:
        qs = qs.filter(pk__in=department_ids)
    return list(qs.order_by("name"))


def department_by_code(code: str) -> Department:
    found = Department.objects.filter(short_code=code).first()
    if found is None:
        raise ApplicationError(
            "unknown_department", _("没有简码为 %(c)s 的部门") % {"c": code}, status=404
        )
    return found


def rank(figures: list[DepartmentFigures]) -> None:
    """Rank by score, highest first; equal scores share a rank; no score: no rank."""
    scored = sorted((f for f in figures if f.score is not None), key=lambda f: -(f.score or 0))
    previous, place = None, 0
    for n, fig in enumerate(scored, start=1):
        if fig.score != previous:
            place, previous = n, fig.score
        fig.rank = place


def compute_month(
    month: Month, *, department_ids: list[int] | None = None, scheme: Scheme | None = None
) -> list[DepartmentFigures]:
    """Every assessed department's tallies and score for the month, ranked.
    One or a few statements per indicator, whatever the number of departments."""
    scheme = scheme or scheme_current()
    depts = departments(department_ids)
    ids = [d.pk for d in depts]
    per_indicator = {ind.code: ind.compute(month, ids) for ind in indicators()}
    figures = []
    for dept in depts:
        tallies = {
            code: counts[dept.pk] for code, counts in per_indicator.items() if dept.pk in counts
        }
        fig = DepartmentFigures(dept.pk, dept.name, dept.short_code, tallies)
        fig.score, fig.results = score(tallies, scheme)
        figures.append(fig)
    rank(figures)
    return figures


# Every department's month reads the month's records, entries and ratios: about 16 s at
# 10^6 records (`xinyong bench oversight`). Pages (the indicators page, the credit office's
# home) read it through `compute_month_cached`, kept this long (seconds); the 通报 and the
# command line compute it afresh.
FIGURES_CACHE_SECONDS = 600


def compute_month_cached(month: Month, *, scheme: Scheme | None = None) -> list[DepartmentFigures]:
    """`compute_month` of every department, computed at most once per FIGURES_CACHE_SECONDS
    for a month, a scheme version and a day (a new scheme or a new day computes again)."""
    scheme = scheme or scheme_current()
    key = f"oversight:figures:{month}:{scheme.version}:{clock.today().isoformat()}"
    found: list[DepartmentFigures] | None = cache.get(key)
    if found is None:
        found = compute_month(month, scheme=scheme)
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return found


def figures_json(month: Month, fig: DepartmentFigures) -> dict[str, object]:
    """The CLI's line for one department: the four intake keys, then every
    indicator's tally and rate, the score and rank."""
    return {
        "month": str(month),
        "department": fig.short_code,
        "department_name": fig.name,
        "records_received": fig.received,
        "records_late": fig.late,
        "publications": fig.publications,
        "publications_on_time": fig.on_time,
        "indicators": {
            r.indicator.code: {
                "numerator": r.tally.numerator if r.tally else 0,
                "denominator": r.tally.denominator if r.tally else 0,
                "rate": None if r.rate is None else round(r.rate, 4),
                "points": None if r.points is None else round(r.points, 2),
                "weight": r.weight,
            }
            for r in fig.results
        },
        "score": fig.score,
        "rank": fig.rank,
    }
