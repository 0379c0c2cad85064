"""Per-address rate limits on the public site's costly paths: the portal's
search, the open-data API, the CSV downloads (issue 12.8).

A rule allows `limit` requests per `window` seconds to one client address
(the audit log's, `core.audit.client_ip`: `X-Forwarded-For` only from
`XINYONG_TRUSTED_PROXIES`), in fixed windows; past it the request answers
429 with a Chinese message and `Retry-After` (`RateLimited`). The rules are
`settings.RATE_LIMITS` (environment variables, README "Limits").

Counting, cheap on the hot path and shared by every process:
- each process counts in memory per (rule, address, window);
- every `limit / 20` requests of one address (at least 1) it adds its count
  to the shared counter (`core.db` `Dialect.counter_add`: a table on
  PostgreSQL, a file of its own on SQLite) and learns the total of every
  process; it refuses once its own count plus the last total it learned
  reach the limit.
A visitor making a few searches a minute costs a dictionary update and no
database write; a client over the limit costs one write every twentieth of
it. Across P processes a client gets at most the limit plus P × limit/20
(at 4 workers, 20 % over) before every process refuses it. If the shared
store does not answer at once (SQLite's file busy for 0.2 s), the process
goes on with its own count.
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.core.audit import client_ip
from xinyong.core.db import dialect
from xinyong.core.errors import ApplicationError

logger = logging.getLogger(__name__)

# A process forgets the counts of past windows once it tracks this many.
_TRACKED = 10_000
# Expired shared counters are removed at most this often (seconds) per process.
_PURGE_EVERY = 300


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    limit: int  # requests per window
    window: int  # seconds

    @property
    def sync_every(self) -> int:
        return max(1, self.limit // 20)


class RateLimited(ApplicationError):
    status = 429


_WHAT = {
    "search": gettext_lazy("查询"),
    "open_data": gettext_lazy("请求开放数据接口"),
    "download": gettext_lazy("下载"),
}


def _period(seconds: int) -> str:
    if seconds == 3600:
        return _("每小时")
    if seconds == 60:
        return _("每分钟")
    return _("每 %(seconds)s 秒") % {"seconds": seconds}


def rule(name: str) -> Rule | None:
    """The rule `name` as configured, or None when it is off."""
    limit, window = settings.RATE_LIMITS.get(name, (0, 60))
    if limit <= 0 or window <= 0:
        return None
    return Rule(name, limit, window)


class _Count:
    __slots__ = ("known", "pending", "window")

    def __init__(self, window: int) -> None:
        self.window = window
        self.pending = 0  # admitted here, not yet added to the shared counter
        self.known = 0  # the shared total when this process last added to it


_counts: dict[tuple[str, str], _Count] = {}
_lock = threading.Lock()
_last_purge = 0.0


def reset() -> None:
    """Forget this process's counts (tests)."""
    global _last_purge
    with _lock:
        _counts.clear()
        _last_purge = 0.0


def check(request: HttpRequest, name: str) -> None:
    """Count this request under rule `name`; raise RateLimited past the limit."""
    current = rule(name)
    if current is None:
        return
    address = client_ip(request) or "unknown"
    now = time.time()
    window = int(now // current.window)
    with _lock:
        count = _counts.get((name, address))
        if count is None or count.window != window:
            if len(_counts) >= _TRACKED:
                _forget_past(now)
            count = _counts[(name, address)] = _Count(window)
        if count.known + count.pending >= current.limit:
            raise _refusal(current, (window + 1) * current.window - now)
        count.pending += 1
        if count.pending < current.sync_every:
            return
        pending, count.pending = count.pending, 0
    total = _share(f"{name}:{address}:{window}", pending, (window + 1) * current.window, now)
    with _lock:
        count.known = total if total is not None else count.known + pending


def _share(key: str, amount: int, expires: int, now: float) -> int | None:
    """Add to the shared counter; None when the store did not answer."""
    global _last_purge
    try:
        store = dialect()
        total = store.counter_add(key, amount, expires=expires)
        if now - _last_purge > _PURGE_EVERY:
            _last_purge = now
            store.counters_purge(int(now))
    except Exception as exc:
        logger.info("rate limit counter not shared: %s", exc)
        return None
    return total


def _forget_past(now: float) -> None:
    stale = [
        key
        for key, count in _counts.items()
        if (rule_ := rule(key[0])) is None or count.window != int(now // rule_.window)
    ]
    for key in stale:
        del _counts[key]
    if len(_counts) >= _TRACKED:
        _counts.clear()


def _refusal(current: Rule, retry_after: float) -> RateLimited:
    seconds = max(1, int(retry_after + 0.999))
    error = RateLimited(
        "rate_limited",
        _("访问过于频繁：同一网络地址%(period)s最多%(what)s %(limit)s 次，请 %(seconds)s 秒后再试")
        % {
            "period": _period(current.window),
            "what": _WHAT.get(current.name, current.name),
            "limit": current.limit,
            "seconds": seconds,
        },
        {"limit": current.limit, "window_seconds": current.window, "retry_after": seconds},
    )
    error.headers = {"Retry-After": str(seconds)}
    return error
