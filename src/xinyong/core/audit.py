"""The one function every service calls to write the audit log."""

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest

from xinyong.core import clock
from xinyong.core.models import AuditLog


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


def audit_record(
    *,
    actor: object = None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    before: object = None,
    after: object = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one row: who (`actor`, a user or None for the system), did what
    (`action`, e.g. `department.create`), to which object, the state before and
    after (JSON-able dicts), why, when (the platform clock) and from where.
    An actor that is not a signed-in user (a token, a command's name) is kept
    as its text."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    user = actor if isinstance(actor, get_user_model()) and actor.is_authenticated else None
    if user is not None:
        label = getattr(user, "display_name", None) or user.get_username()
    else:
        label = str(actor) if actor else "系统"
    return AuditLog.objects.create(
        at=clock.now(),
        actor=user,
        actor_label=str(label)[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=str(object_label)[:300],
        before=before,
        after=after,
        reason=reason,
        ip=client_ip(request),
    )
