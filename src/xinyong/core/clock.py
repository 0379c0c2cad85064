"""The platform's clock: every "today" and "now" comes from here.

Tests and commands pin it, either with the environment variable
`XINYONG_TODAY=2025-09-30` (read on every call, so a command run as
`XINYONG_TODAY=… xinyong daily` stands on that day) or with `pinned()`.
Pinning the date keeps the time of day of the real clock.
"""

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
_pinned: list[dt.datetime] = []


def _parse_pin(value: str) -> dt.datetime:
    value = value.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            real = timezone.now().astimezone(SHANGHAI)
            return dt.datetime.combine(day, real.time(), tzinfo=SHANGHAI)
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"XINYONG_TODAY 的值“{value}”不是 YYYY-MM-DD 形式的日期") from exc
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment


def now() -> dt.datetime:
    """The current moment, timezone-aware."""
    if _pinned:
        return _pinned[-1]
    if value := os.environ.get("XINYONG_TODAY"):
        return _parse_pin(value)
    return timezone.now()


def today() -> dt.date:
    """Today's date in China (Asia/Shanghai), whatever the server's zone."""
    return now().astimezone(SHANGHAI).date()


@contextlib.contextmanager
def pinned(moment: dt.date | dt.datetime | str) -> Iterator[None]:
    """Stand on a given day (or moment) inside the block."""
    if isinstance(moment, str):
        value = _parse_pin(moment)
    elif isinstance(moment, dt.datetime):
        value = moment if timezone.is_aware(moment) else moment.replace(tzinfo=SHANGHAI)
    else:
        value = dt.datetime.combine(moment, dt.time(10, 0), tzinfo=SHANGHAI)
    _pinned.append(value)
    try:
        yield
    finally:
        _pinned.pop()
