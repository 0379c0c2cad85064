"""考核 (issue 16 §3): a year's scores per department, from the monthly
figures the 通报 stored (`MonthlyFigures`) and the scheme in force.

Each indicator's tallies are added over the year's reported months (a
running total, such as the case quota, takes the last month's), then scored
as a month is (`scoring.score`): a department's year is its work of the
year, not an average of its months' rates."""

from dataclasses import dataclass, field

from xinyong.oversight.indicators.registry import Tally, indicators
from xinyong.oversight.models import MonthlyFigures
from xinyong.oversight.scoring import DepartmentFigures, Scheme, rank, scheme_current, score


@dataclass
class DepartmentYear(DepartmentFigures):
    monthly: dict[int, float | None] = field(default_factory=dict)  # month number → score


@dataclass
class YearAssessment:
    year: int
    scheme: Scheme
    months: list[int]  # the months with stored figures
    departments: list[DepartmentYear]

    @property
    def ranked(self) -> list[DepartmentYear]:
        return sorted(self.departments, key=lambda d: (d.rank is None, d.rank or 0, d.name))

    def get(self, short_code: str) -> DepartmentYear | None:
        return next((d for d in self.departments if d.short_code == short_code), None)


def assessment_year(year: int, *, scheme: Scheme | None = None) -> YearAssessment:
    """One statement: the year's stored figures of every department."""
    scheme = scheme or scheme_current()
    cumulative = {i.code for i in indicators() if i.cumulative}
    rows = (
        MonthlyFigures.objects.filter(month__year=year)
        .select_related("department")
        .order_by("department__name", "month")
    )
    by_department: dict[int, DepartmentYear] = {}
    months: set[int] = set()
    for row in rows:
        months.add(row.month.month)
        dept = by_department.get(row.department_id)
        if dept is None:
            dept = by_department[row.department_id] = DepartmentYear(
                row.department_id, row.department.name, row.department.short_code, {}
            )
        dept.monthly[row.month.month] = row.score
        for code, value in row.values.items():
            now = Tally(value["numerator"], value["denominator"])
            before = dept.tallies.get(code)
            if before is None or code in cumulative:
                dept.tallies[code] = now
            else:
                dept.tallies[code] = Tally(
                    before.numerator + now.numerator, before.denominator + now.denominator
                )
    departments = list(by_department.values())
    for dept in departments:
        dept.score, dept.results = score(dept.tallies, scheme)
    rank(departments)  # type: ignore[arg-type]  # DepartmentYear is a DepartmentFigures
    return YearAssessment(year, scheme, sorted(months), departments)
