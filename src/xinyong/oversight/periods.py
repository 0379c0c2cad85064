"""Months as the oversight counts them (calendar months, dates in Shanghai)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinyong.core import clock, workdays
from xinyong.core.errors import ApplicationError

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")

# 工作要点 七: the 通报 of a month is issued on the 5th working day of the next.
REPORT_ON_WORKDAY = 5
# The years a month (or an assessment) may name: the platform's data starts after
# 2000, and a month of 9999 has no next month for `datetime.date` (its end, its bounds).
MIN_YEAR, MAX_YEAR = 2000, 9998


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        found = _MONTH.fullmatch((text or "").strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ApplicationError(
                "bad_month", _("月份格式应为 YYYY-MM，例如 2025-10：%(v)s") % {"v": text}
            )
        if not year_in_range(int(found.group(1))):
            raise ApplicationError(
                "bad_month",
                _("月份超出范围（%(a)d 年至 %(b)d 年）：%(v)s")
                % {"a": MIN_YEAR, "b": MAX_YEAR, "v": text},
            )
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the month."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def back(self, n: int) -> list["Month"]:
        """This month and the n-1 before it, oldest first."""
        months = [self]
        for _i in range(n - 1):
            months.append(months[-1].previous())
        return months[::-1]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return _("%(y)d年%(m)d月") % {"y": self.year, "m": self.month}

    def report_day(self) -> dt.date:
        """The day this month's 通报 is due: the 5th working day of the next
        month (the day before the next month is not counted, as for deadlines)."""
        return workdays.add_workdays(self.end, REPORT_ON_WORKDAY).date

    def aware_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, next start) as aware datetimes in Shanghai."""
        start = dt.datetime.combine(self.start, dt.time(0), tzinfo=clock.SHANGHAI)
        end = dt.datetime.combine(self.next().start, dt.time(0), tzinfo=clock.SHANGHAI)
        return start, end
