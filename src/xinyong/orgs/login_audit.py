"""Failed logins and lockouts into the audit log (issue 12, item 6).

Django sends `user_login_failed` for every failed login, a locked-out one
included (django-axes' backend refuses it); django-axes sends
`user_locked_out` when an (account, address) pair reaches the limit and on
each try during the lockout. Both are heard here, on the staff login and the
admin login alike.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from xinyong.core.audit import ANONYMOUS, audit_record
from xinyong.orgs.audit_actions import LOGIN_FAIL, LOGIN_LOCKOUT
from xinyong.orgs.models import User


def _account(username: object) -> tuple[str, str]:
    """(object id, label) of the account tried: its id if it exists, and the name typed."""
    name = str(username or "")
    user_id = (
        User.objects.filter(username=name).values_list("pk", flat=True).first() if name else None
    )
    return (str(user_id) if user_id is not None else "", name)


def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    object_id, label = _account(credentials.get("username"))
    audit_record(
        actor=ANONYMOUS,
        action=LOGIN_FAIL,
        object_id=object_id,
        object_label=label,
        after={"path": request.path if request is not None else ""},
        request=request,
    )


def on_locked_out(
    sender: object,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    object_id, label = _account(username)
    audit_record(
        actor=ANONYMOUS,
        action=LOGIN_LOCKOUT,
        object_id=object_id,
        object_label=label,
        after={"path": request.path if request is not None else "", "ip": ip_address},
        request=request,
    )


def connect() -> None:
    user_login_failed.connect(on_login_failed, dispatch_uid="xinyong.orgs.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="xinyong.orgs.locked_out")
