"""政务公开 · 月度数据: what the portal shows of the monthly figures.

Only the months the credit office published (`FiguresRelease.published_at`)
are read, here and nowhere else on a public path: the page, the trend chart
and the CSV all start from `published_months()`. The figures are those the
通报 stored (`MonthlyFigures`), added up over the departments; the scores and
the ranking stay in the 通报 (which the credit office publishes apart)."""

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from xinyong.core.cells import csv_cell
from xinyong.core.errors import NotFoundError
from xinyong.oversight import charts
from xinyong.oversight.indicators.registry import Indicator, Tally, indicators
from xinyong.oversight.models import FiguresRelease, MonthlyFigures
from xinyong.oversight.periods import Month
from xinyong.oversight.tongbao import TREND_INDICATORS

TREND_MONTHS = 12
# The chart is the same SVG for the same numbers: kept by their digest.
_CHART_CACHE_SECONDS = 3600
# The indicators whose tallies give the counts of the first columns.
_INTAKE = "intake_on_time"
_PUBLICATION = "publication_on_time"


def _rate_percent(tally: Tally) -> float | None:
    rate = tally.rate
    return None if rate is None else round(100 * rate, 1)


@dataclass(frozen=True)
class Line:
    """One indicator's figure (a department's or the district's)."""

    indicator: Indicator
    tally: Tally | None  # None: nothing to count

    @property
    def percent(self) -> float | None:
        return _rate_percent(self.tally) if self.tally else None


@dataclass(frozen=True)
class Row:
    """A department's month, or the district's (the sum of its departments)."""

    name: str
    short_code: str
    tallies: dict[str, Tally]

    def tally(self, code: str) -> Tally:
        return self.tallies.get(code) or Tally(0, 0)

    @property
    def received(self) -> int:
        return self.tally(_INTAKE).denominator

    @property
    def late(self) -> int:
        return self.tally(_INTAKE).denominator - self.tally(_INTAKE).numerator

    @property
    def published(self) -> int:
        return self.tally(_PUBLICATION).denominator

    @property
    def published_on_time(self) -> int:
        return self.tally(_PUBLICATION).numerator

    def lines(self, shown: list[Indicator]) -> list[Line]:
        return [Line(i, self.tallies.get(i.code)) for i in shown]


@dataclass
class MonthFigures:
    month: Month
    departments: list[Row]
    district: Row
    shown: list[Indicator] = field(default_factory=list)  # the indicators with data

    @property
    def district_lines(self) -> list[Line]:
        return self.district.lines(self.shown)

    @property
    def table(self) -> list[tuple[Row, list[Line]]]:
        return [(row, row.lines(self.shown)) for row in self.departments]


def published_months() -> list[Month]:
    """The months whose figures are public, newest first."""
    days = FiguresRelease.objects.filter(published_at__isnull=False).values_list("month", flat=True)
    return [Month.of(day) for day in sorted(days, reverse=True)]


def _rows(months: Iterable[Month]) -> dict[Month, list[Row]]:
    """The stored figures of these months, per month, departments by name."""
    stored = (
        MonthlyFigures.objects.filter(month__in=[m.start for m in months])
        .select_related("department")
        .only("month", "values", "department__name", "department__short_code")
    )
    result: dict[Month, list[Row]] = {}
    for fig in stored:
        tallies = {
            code: Tally(int(v["numerator"]), int(v["denominator"]))
            for code, v in fig.values.items()
        }
        result.setdefault(Month.of(fig.month), []).append(
            Row(fig.department.name, fig.department.short_code, tallies)
        )
    for rows in result.values():
        rows.sort(key=lambda r: (r.name, r.short_code))
    return result


def _district(rows: list[Row]) -> Row:
    codes = {code for r in rows for code in r.tallies}
    return Row(
        _("全区合计"),
        "",
        {
            code: Tally(
                sum(r.tally(code).numerator for r in rows),
                sum(r.tally(code).denominator for r in rows),
            )
            for code in sorted(codes)
        },
    )


def _shown(rows: list[Row]) -> list[Indicator]:
    codes = {code for r in rows for code in r.tallies}
    return [i for i in indicators() if i.code in codes]


def month_figures(month: Month, published: list[Month]) -> MonthFigures:
    """A published month's figures; any other month is not found."""
    if month not in published:
        raise NotFoundError("not_found", _("%(m)s的月度数据尚未公开") % {"m": month.label})
    rows = _rows([month]).get(month, [])
    return MonthFigures(month, rows, _district(rows), _shown(rows))


def trend_svg(latest: Month, published: list[Month]) -> str:
    """The district's main rates over the TREND_MONTHS months to `latest`;
    a month not published is a gap in the lines, never a value."""
    months = latest.back(TREND_MONTHS)
    shown = [m for m in months if m in published]
    per_month = _rows(shown)
    labels = {i.code: str(i.label) for i in indicators()}
    series: dict[str, list[float | None]] = {}
    for code in TREND_INDICATORS:
        values: list[float | None] = []
        for m in months:
            rows = per_month.get(m)
            values.append(_rate_percent(_district(rows).tally(code)) if rows else None)
        series[labels.get(code, code)] = values
    # January carries its year on a second line (twelve labels side by side).
    names = [f"{m.month}月" if m.month != 1 else f"1月\n{m.year}年" for m in months]
    title = _("全区主要指标月度趋势（%)")
    digest = hashlib.sha256(
        json.dumps([title, names, series], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
    key = f"oversight:open-data:trend:{digest}"
    svg: str | None = cache.get(key)
    if svg is None:
        svg = charts.trend_lines(title, names, series)
        cache.set(key, svg, _CHART_CACHE_SECONDS)
    return svg


def csv_header() -> list[str]:
    header = [
        _("月份"),
        _("部门"),
        _("报送信息（条）"),
        _("逾期报送（条）"),
        _("双公示信息（条）"),
        _("按时公示（条）"),
    ]
    for i in indicators():
        header += [
            f"{i.label}·{i.numerator_label}",
            f"{i.label}·{i.denominator_label}",
            _("%(label)s（%%）") % {"label": i.label},
        ]
    return header


def _csv_row(month: Month, row: Row) -> list[object]:
    values: list[object] = [
        str(month),
        row.name,
        row.received,
        row.late,
        row.published,
        row.published_on_time,
    ]
    for i in indicators():
        t = row.tallies.get(i.code)
        values += ["", "", ""] if t is None else [t.numerator, t.denominator, _rate_percent(t)]
    return values


def csv_text(published: list[Month]) -> Iterator[str]:
    """The published months as CSV text, newest first: the district's line,
    then each department's. UTF-8 with a BOM (Excel opens it as such); every
    cell through `core.cells.csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush(cells: list[object]) -> str:
        writer.writerow([csv_cell("" if c is None else c) for c in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + flush(list(csv_header()))
    per_month = _rows(published)
    for month in published:
        rows = per_month.get(month, [])
        if not rows:
            continue
        yield flush(_csv_row(month, _district(rows)))
        for row in rows:
            yield flush(_csv_row(month, row))
