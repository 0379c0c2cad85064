"""The audit log: declared actions, typed actors, and the one function every service calls.

Every action is declared once (compare Sentry's `audit_log/register.py`), in
the `audit_actions.py` module of the app that owns it:

    RECORD_WITHDRAW = audit.declare(
        "record.withdraw", label=_("撤回记录"), object_type="records.Record"
    )

and code refers to the declared object, never to a free string:
`audit_record(action=RECORD_WITHDRAW, …)`. The oversight statistics count
from this log, so the names are stable (`<entity>.<verb>`, snake case) and
each has a Chinese label for reports and the admin.

Who acted is typed: a user, a department's API token, the system (the daily
job, the worker, a migration) or an anonymous visitor of the portal.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock

if TYPE_CHECKING:
    from xinyong.core.models import AuditLog

_NAME = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")


@dataclass(frozen=True)
class AuditAction:
    """One kind of audited event: `name` as stored, its Chinese `label`, and
    the type of object it is about (a model label such as `records.Record`,
    or a pseudo type such as `records.daily` for a run of a job)."""

    name: str
    label: str | Promise
    object_type: str

    def __str__(self) -> str:
        return self.name


_REGISTRY: dict[str, AuditAction] = {}


def declare(name: str, *, label: str | Promise, object_type: str) -> AuditAction:
    """Declare an action once; a second declaration of the same name is a programming error."""
    if not _NAME.fullmatch(name):
        raise ImproperlyConfigured(f"audit action {name!r} is not '<entity>.<verb>' in snake case")
    if name in _REGISTRY:
        raise ImproperlyConfigured(f"audit action {name!r} is declared twice")
    action = AuditAction(name=name, label=label, object_type=object_type)
    _REGISTRY[name] = action
    return action


def declared_actions() -> Mapping[str, AuditAction]:
    """Every declared action by name (all apps' `audit_actions` modules are loaded at start)."""
    return dict(_REGISTRY)


def action_label(name: str) -> str:
    """The Chinese label of a stored action name; an unknown (historical) name reads as itself."""
    action = _REGISTRY.get(name)
    return str(action.label) if action is not None else name


def autodiscover() -> None:
    """Import every installed app's `audit_actions` module (run by `CoreConfig.ready`)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("audit_actions")


# -- actors ------------------------------------------------------------------------------


class ActorKind(models.TextChoices):
    USER = "user", _("用户")
    TOKEN = "token", _("接口令牌")
    SYSTEM = "system", _("系统")
    ANONYMOUS = "anonymous", _("公众（未登录）")


@dataclass(frozen=True)
class Actor:
    """Who acted, as the log stores it. `label` stays readable after the user
    or token is gone."""

    kind: ActorKind
    label: str
    user_id: int | None = None
    token_id: int | None = None

    def audit_actor(self) -> Actor:
        return self


SYSTEM = Actor(kind=ActorKind.SYSTEM, label="系统")
ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, label="公众")


def command_actor() -> Actor:
    """A management command has no user behind it: the row names the OS account."""
    import getpass

    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER
        account = ""
    return Actor(kind=ActorKind.SYSTEM, label=f"命令行 {account}".strip())


@runtime_checkable
class AuditActor(Protocol):
    """Anything that can act: `orgs.User`, `orgs.ApiToken`, or an `Actor` itself."""

    def audit_actor(self) -> Actor: ...


def _actor_of(actor: AuditActor | None, request: HttpRequest | None) -> Actor:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and isinstance(user, AuditActor):
            actor = user
        else:
            return ANONYMOUS
    if actor is None:
        return SYSTEM
    if not isinstance(actor, AuditActor):
        raise TypeError(f"an audit actor is a user, an API token or an Actor, not {actor!r}")
    return actor.audit_actor()


# -- the client's address ----------------------------------------------------------------


def _networks(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """`XINYONG_TRUSTED_PROXIES` (settings.TRUSTED_PROXIES): addresses or networks
    of the reverse proxies in front of the platform. Empty by default: then
    `X-Forwarded-For`, which any client can write, is never read."""
    return _networks(getattr(settings, "TRUSTED_PROXIES", ()))


@functools.lru_cache(maxsize=4096)  # per request on the rate-limited paths; addresses recur
def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the peer's, unless the peer is a trusted proxy; then
    the right-most address of `X-Forwarded-For` that is not a trusted proxy
    (entries left of it were written by the client and prove nothing)."""
    if request is None:
        return None
    peer = _ip(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    proxies = trusted_proxies()

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in proxies)

    if not trusted(peer):
        return str(peer)
    client = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _ip(entry)
        if address is None:
            break  # a malformed hop: stop at the last address a trusted proxy vouched for
        client = address
        if not trusted(address):
            break
    return str(client)


# -- writing -----------------------------------------------------------------------------


def _clip(model_field: str, value: object) -> str:
    from xinyong.core.models import AuditLog

    field = AuditLog._meta.get_field(model_field)
    limit = field.max_length if isinstance(field, models.CharField) else None
    return str(value)[:limit]


def audit_record(
    *,
    action: AuditAction,
    actor: AuditActor | None = None,
    obj: models.Model | None = None,
    object_id: str | int = "",
    object_label: str = "",
    before: object = None,
    after: object = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one row: who (`actor`; by default the request's user, else the
    system), did what (a declared `action`), to which object, the state before
    and after (JSON-able), why, when (the platform clock) and from where."""
    from xinyong.core.models import AuditLog

    _ensure_declared(action)
    if obj is not None:
        if obj._meta.label != action.object_type:
            raise TypeError(f"{action.name} is about {action.object_type}, not {obj._meta.label}")
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    who = _actor_of(actor, request)
    return AuditLog.objects.create(
        **_row(who, action, object_id, object_label, request),
        before=before,
        after=after,
        reason=reason,
    )


def _ensure_declared(action: AuditAction) -> None:
    if not isinstance(action, AuditAction) or _REGISTRY.get(action.name) is not action:
        raise TypeError(f"audit action {action!r} is not declared (core.audit.declare)")


def _row(
    who: Actor,
    action: AuditAction,
    object_id: str | int,
    object_label: str,
    request: HttpRequest | None,
) -> dict[str, object]:
    return {
        "at": clock.now(),
        "actor_kind": who.kind,
        "actor_id": who.user_id,
        "actor_token_id": who.token_id,
        "actor_label": _clip("actor_label", who.label),
        "action": action.name,
        "object_type": action.object_type,
        "object_id": _clip("object_id", object_id),
        "object_label": _clip("object_label", object_label),
        "ip": client_ip(request),
    }


def audit_record_many(
    *,
    action: AuditAction,
    actor: AuditActor | None = None,
    changes: Iterable[tuple[models.Model, object]],
    request: HttpRequest | None = None,
) -> int:
    """`audit_record` for many objects of one action at once (`changes`:
    each object and its state after), in bulk INSERTs: a file's rows, each
    with its own row in the log. Returns how many rows were written."""
    from xinyong.core.models import AuditLog

    _ensure_declared(action)
    who = _actor_of(actor, request)
    rows = []
    for obj, after in changes:
        if obj._meta.label != action.object_type:
            raise TypeError(f"{action.name} is about {action.object_type}, not {obj._meta.label}")
        rows.append(AuditLog(**_row(who, action, obj.pk, str(obj), request), after=after))
    AuditLog.objects.bulk_create(rows, batch_size=500)
    return len(rows)
