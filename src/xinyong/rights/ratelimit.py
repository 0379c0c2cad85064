"""A minimal fixed-window rate limit on Django's cache, per client address.

Filing without an account is open to anyone: a client (by `core.audit.client_ip`,
which trusts `X-Forwarded-For` only from the configured proxies) may file at
most `XINYONG_OBJECTION_RATE` (default 5) applications per hour.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core.audit import client_ip
from xinyong.core.errors import ApplicationError

WINDOW_SECONDS = 3600


def filing_limit() -> int:
    return int(settings.XINYONG_OBJECTION_RATE)


def ensure_within_rate(request: HttpRequest | None, *, scope: str) -> None:
    """Count one attempt of `scope` for the request's client; refuse past the limit (429)."""
    if request is None:
        return
    key = f"rights.rate:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    if count > filing_limit():
        raise ApplicationError(
            "rate_limited",
            _("提交过于频繁：每小时最多提交 %(n)d 件申请，请稍后再试") % {"n": filing_limit()},
            {"limit_per_hour": filing_limit()},
            status=429,
        )
