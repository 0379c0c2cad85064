"""The working-day calendar that legal deadlines are counted on.

"Days" in the 行政许可法 (art. 82) and the 行政处罚法 (2021, art. 85) are
working days, and the day of the decision is not counted: a 双公示 record
decided on 2025-09-30 must be online within 7 working days
(发改办财金〔2018〕424号), i.e. by 2025-10-16 (National Day 2025-10-01…08 off,
2025-10-11 a make-up working Saturday).

Where a day's status comes from, in order:

1. the credit office's table: a year in `CalendarYear` is official and its
   days are exactly the `CalendarDay` rows of that year (the package is
   ignored for it). A `CalendarDay` in a year *not* in `CalendarYear`
   overrides that single day but does not make the year official;
2. the `chinesecalendar` package (official State Council schedules, 2004 to
   the year of its release; it raises NotImplementedError beyond that, so we
   read its tables instead of calling it);
3. the plain rule Monday–Friday, marked `official=False`.

Speed: a due date is computed for every row of an import (up to a million),
so the calendar is built once per process into a sorted array of working-day
ordinals; every question is then a binary search. The calendar is rebuilt
when a `CalendarYear`/`CalendarDay` row changes in this process (signals
connected in `CoreConfig.ready()`), and at least every `CACHE_SECONDS` so
that other processes (web workers, task runners) pick up an import too.
Nothing here touches the database at import time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.core.errors import ApplicationError

# Other processes see an imported schedule after at most this long.
CACHE_SECONDS = 300

# The array covers at least these years; outside it (and wherever no year is
# official) the Monday–Friday rule is computed arithmetically.
_ARRAY_FIRST_YEAR = 2000
_ARRAY_LAST_YEAR = 2100

WEEKDAY_NAMES = (
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
)


class Source(StrEnum):
    """Where the status of a day (or an official year) comes from."""

    IMPORTED = "imported"  # CalendarYear/CalendarDay of an imported year
    ADJUSTED = "adjusted"  # a single CalendarDay in a year that was not imported
    PACKAGE = "package"  # the chinesecalendar package
    WEEKDAY = "weekday"  # Monday–Friday rule


class Reason(StrEnum):
    """Why a day is, or is not, a working day."""

    HOLIDAY = "holiday"  # 法定节假日 (or the rest days around it)
    MAKEUP = "makeup"  # 调休上班: a working Saturday or Sunday
    WEEKEND = "weekend"
    WEEKDAY = "weekday"


@dataclass(frozen=True, slots=True)
class WorkdayResult:
    """A date counted in working days, and whether the count is official.

    `unofficial_years` lists the years crossed by the count that have no
    official schedule (Monday–Friday was assumed there): show a warning.
    """

    date: dt.date
    official: bool
    unofficial_years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Everything `xinyong workdays check` says about one day."""

    date: dt.date
    is_workday: bool
    reason: Reason
    name: str  # holiday name, e.g. 国庆节; "" for a plain day
    official: bool  # the day's year has an official schedule
    source: Source


@dataclass(frozen=True, slots=True)
class OfficialYear:
    year: int
    source: Source  # IMPORTED or PACKAGE
    basis: str  # the notice's title for an imported year, the package for a package year
    imported_at: dt.datetime | None = None
    overrides_package: bool = False


# `YYYY-MM-DD` or `YYYY/MM/DD`, month and day with one or two digits.
DATE_RE = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$")


def parse_date(value: str) -> dt.date | None:
    """`YYYY-MM-DD` or `YYYY/MM/DD` (one-digit month/day allowed); None if invalid."""
    match = DATE_RE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        return None


def _weekdays_upto(ordinal: int) -> int:
    """Number of Mondays–Fridays with an ordinal <= `ordinal` (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _weekday_ordinal(k: int) -> int:
    """The ordinal of the k-th Monday–Friday counted from ordinal 1 (inverse of the above)."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


def _is_weekday(ordinal: int) -> bool:
    return (ordinal - 1) % 7 < 5


def _out_of_range() -> ApplicationError:
    return ApplicationError("workdays.out_of_range", _("推算的日期超出了可以表示的日期范围"))


@lru_cache(maxsize=1)
def _package_tables() -> tuple[dict[dt.date, str], dict[dt.date, str], range, str]:
    """The package's rest days and make-up working days, with Chinese names.

    Read from its tables rather than through `is_workday()`, which raises
    NotImplementedError for a year it does not know.
    """
    import chinese_calendar
    from chinese_calendar.constants import Holiday, holidays, workdays

    def chinese(name: str) -> str:
        try:
            return str(Holiday(name).chinese)
        except ValueError:
            return name

    years = range(min(holidays).year, max(holidays).year + 1)
    version = getattr(chinese_calendar, "__version__", "")
    if not version:
        try:
            from importlib.metadata import version as dist_version

            version = dist_version("chinesecalendar")
        except Exception:  # pragma: no cover - metadata missing in odd installs
            version = ""
    label = f"chinesecalendar {version}".strip()
    return (
        {d: chinese(n) for d, n in holidays.items()},
        {d: chinese(n) for d, n in workdays.items()},
        years,
        label,
    )


class WorkdayCalendar:
    """An immutable snapshot of the calendar. Get the current one with `get_calendar()`."""

    def __init__(
        self,
        *,
        imported_years: Mapping[int, tuple[str, dt.datetime | None]],
        table_days: list[tuple[dt.date, bool, str]],
        package_holidays: dict[dt.date, str],
        package_workdays: dict[dt.date, str],
        package_years: range,
        package_label: str = "chinesecalendar",
    ):
        self.imported_years = dict(imported_years)
        self.package_years = package_years
        self.package_label = package_label
        self.official_years = frozenset(self.imported_years) | frozenset(package_years)

        # ordinal -> (is_workday, name, source), only for days that differ from
        # Monday–Friday or carry a holiday name.
        special: dict[int, tuple[bool, str, Source]] = {}
        for day, name in package_holidays.items():
            if day.year not in self.imported_years:
                special[day.toordinal()] = (False, name, Source.PACKAGE)
        for day, name in package_workdays.items():
            if day.year not in self.imported_years:
                special[day.toordinal()] = (True, name, Source.PACKAGE)
        for day, is_work, name in table_days:
            source = Source.IMPORTED if day.year in self.imported_years else Source.ADJUSTED
            special[day.toordinal()] = (is_work, name, source)
        self._special = special

        years = [y for y in self.official_years if 1 <= y <= 9999]
        years += [d.year for d, _w, _n in table_days]
        first = min([_ARRAY_FIRST_YEAR, *years])
        last = max([_ARRAY_LAST_YEAR, *years])
        self._lo = dt.date(first, 1, 1).toordinal()
        self._hi = dt.date(last, 12, 31).toordinal()
        ordinals = []
        for o in range(self._lo, self._hi + 1):
            entry = special.get(o)
            if entry[0] if entry is not None else _is_weekday(o):
                ordinals.append(o)
        self._ordinals = ordinals
        self._before_lo = _weekdays_upto(self._lo - 1)
        self._upto_hi = self._before_lo + len(ordinals)
        # Due dates repeat a lot within one import: remember them.
        self._add_cached = lru_cache(maxsize=65536)(self._add)

    # -- counting ---------------------------------------------------------

    def _count_upto(self, ordinal: int) -> int:
        """Working days with an ordinal <= `ordinal`, counted from 0001-01-01."""
        if ordinal < self._lo:
            return _weekdays_upto(ordinal)
        if ordinal <= self._hi:
            return self._before_lo + bisect.bisect_right(self._ordinals, ordinal)
        return self._upto_hi + _weekdays_upto(ordinal) - _weekdays_upto(self._hi)

    def _kth_workday(self, k: int) -> int:
        """The ordinal of the k-th working day (inverse of `_count_upto`)."""
        if k <= self._before_lo:
            return _weekday_ordinal(k)
        if k <= self._upto_hi:
            return self._ordinals[k - self._before_lo - 1]
        return _weekday_ordinal(k - self._upto_hi + _weekdays_upto(self._hi))

    def unofficial_years(self, first: int, last: int) -> tuple[int, ...]:
        """The years in [first, last] that have no official schedule."""
        return tuple(y for y in range(first, last + 1) if y not in self.official_years)

    def _add(self, start_ordinal: int, n: int) -> WorkdayResult:
        if n == 0:
            return WorkdayResult(dt.date.fromordinal(start_ordinal), True, ())
        if n > 0:
            target = self._count_upto(start_ordinal) + n
        else:
            # Backwards: the start day is not counted either.
            target = self._count_upto(start_ordinal - 1) + n + 1
        if target < 1:
            raise _out_of_range()
        ordinal = self._kth_workday(target)
        try:
            result = dt.date.fromordinal(ordinal)
            start = dt.date.fromordinal(start_ordinal)
            if n > 0:
                first, last = (start + dt.timedelta(days=1)).year, result.year
            else:
                first, last = result.year, (start - dt.timedelta(days=1)).year
        except (ValueError, OverflowError) as exc:
            raise _out_of_range() from exc
        missing = self.unofficial_years(first, last)
        return WorkdayResult(result, not missing, missing)

    def add_workdays(self, start: dt.date, n: int) -> WorkdayResult:
        return self._add_cached(_as_date(start).toordinal(), int(n))

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        return self._count_upto(_as_date(b).toordinal()) - self._count_upto(_as_date(a).toordinal())

    # -- single days --------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        entry = self._special.get(_as_date(day).toordinal())
        if entry is not None:
            return entry[0]
        return day.weekday() < 5

    def day_info(self, day: dt.date) -> DayInfo:
        day = _as_date(day)
        official = day.year in self.official_years
        entry = self._special.get(day.toordinal())
        weekend = day.weekday() >= 5
        if entry is not None:
            is_work, name, source = entry
            if is_work:
                reason = Reason.MAKEUP if weekend else Reason.WEEKDAY
            else:
                reason = Reason.HOLIDAY
            return DayInfo(day, is_work, reason, name, official, source)
        if day.year in self.imported_years:
            source = Source.IMPORTED
        elif day.year in self.package_years:
            source = Source.PACKAGE
        else:
            source = Source.WEEKDAY
        reason = Reason.WEEKEND if weekend else Reason.WEEKDAY
        return DayInfo(day, not weekend, reason, "", official, source)

    def years(self) -> list[OfficialYear]:
        """The official years, oldest first."""
        out = []
        for year in sorted(self.official_years):
            if year in self.imported_years:
                basis, imported_at = self.imported_years[year]
                out.append(
                    OfficialYear(
                        year,
                        Source.IMPORTED,
                        basis,
                        imported_at,
                        overrides_package=year in self.package_years,
                    )
                )
            else:
                out.append(OfficialYear(year, Source.PACKAGE, self.package_label))
        return out


def _as_date(value: dt.date) -> dt.date:
    # A datetime would silently be counted in whatever zone it carries; the
    # date of a decision is a `date` in China time (see core.clock).
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")
    return value


# -- the per-process cache ----------------------------------------------------

_lock = threading.Lock()
_calendar: WorkdayCalendar | None = None
_built_at = 0.0


def build_calendar() -> WorkdayCalendar:
    """Read the credit office's table and the package into a new calendar."""
    from xinyong.core.models import CalendarDay, CalendarYear

    imported = {
        y.year: (y.source, y.imported_at)
        for y in CalendarYear.objects.only("year", "source", "imported_at")
    }
    table_days = [
        (day, kind == CalendarDay.Kind.WORKDAY, name)
        for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
    ]
    holidays, workdays, years, label = _package_tables()
    return WorkdayCalendar(
        imported_years=imported,
        table_days=table_days,
        package_holidays=holidays,
        package_workdays=workdays,
        package_years=years,
        package_label=label,
    )


def package_years() -> range:
    """The years the `chinesecalendar` package has official data for (no DB access)."""
    return _package_tables()[2]


def get_calendar() -> WorkdayCalendar:
    """The process's calendar, built on first use and after each invalidation."""
    global _calendar, _built_at
    calendar = _calendar
    if calendar is not None and time.monotonic() - _built_at < CACHE_SECONDS:
        return calendar
    with _lock:
        if _calendar is None or time.monotonic() - _built_at >= CACHE_SECONDS:
            _calendar = build_calendar()
            _built_at = time.monotonic()
        return _calendar


def reset_calendar_cache(**_signal_kwargs: object) -> None:
    """Forget the calendar; the next question rebuilds it. Also a signal receiver."""
    global _calendar
    with _lock:
        _calendar = None


def _reset_now_and_on_commit(**_signal_kwargs: object) -> None:
    # Now, so that the writing transaction sees its own change; and again after
    # the commit, in case another thread rebuilt from the old rows meanwhile.
    from django.db import transaction

    reset_calendar_cache()
    transaction.on_commit(reset_calendar_cache)


def connect_signals() -> None:
    """Called from `CoreConfig.ready()`."""
    from django.db.models.signals import post_delete, post_save

    from xinyong.core.models import CalendarDay, CalendarYear

    for model in (CalendarYear, CalendarDay):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                _reset_now_and_on_commit,
                sender=model,
                dispatch_uid=f"workdays-reset-{model.__name__}-{name}",
            )


# -- the public functions -------------------------------------------------------


def is_workday(day: dt.date) -> bool:
    """Whether `day` is a working day (official schedule where there is one)."""
    return get_calendar().is_workday(day)


def is_official_year(year: int) -> bool:
    """Whether `year` has an official schedule (imported, or in the package)."""
    return year in get_calendar().official_years


def add_workdays(start: dt.date, n: int) -> WorkdayResult:
    """The date `n` working days after `start`, the start day itself not counted.

    行政许可法 art. 82 / 行政处罚法 art. 85: periods in days are working days and
    the day of the act is not counted. `add_workdays(date(2025, 9, 30), 7)`
    is 2025-10-16. A negative `n` counts backwards (the `n`-th working day
    before `start`); `n == 0` returns `start`. Never raises for a year
    without official data: it assumes Monday–Friday there and says so in
    `official`/`unofficial_years`.
    """
    return get_calendar().add_workdays(start, n)


def subtract_workdays(start: dt.date, n: int) -> WorkdayResult:
    """The date `n` working days before `start` (the start day not counted)."""
    return get_calendar().add_workdays(start, -n)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]: after `a`, up to and including `b`; negative if b < a.

    `workdays_between(d, add_workdays(d, n).date) == n` for n >= 0, so a
    deadline report can say "overdue by N working days". Check
    `unofficial_years(a.year, b.year)` to know whether the count is official.
    """
    return get_calendar().workdays_between(a, b)


def unofficial_years(first: int, last: int) -> tuple[int, ...]:
    """The years in [first, last] that have no official schedule."""
    return get_calendar().unofficial_years(first, last)


def day_info(day: dt.date) -> DayInfo:
    """Whether `day` is a working day, why, and whether that is official."""
    return get_calendar().day_info(day)


def official_years() -> list[OfficialYear]:
    """The official years with where each comes from, oldest first."""
    return get_calendar().years()


def unofficial_warning(years: tuple[int, ...] | list[int]) -> str:
    """The Chinese warning shown next to a date computed on the weekday rule."""
    listed = "、".join(_("%(year)d年") % {"year": y} for y in years)
    return _("注意：%(years)s尚无官方节假日安排，按周一至周五推算，结果非正式") % {"years": listed}
