"""Writes for departments, users and API tokens. Each writes one audit row."""

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.identifiers import check_uscc
from xinyong.orgs.audit_actions import (
    API_TOKEN_CREATE,
    API_TOKEN_REVOKE,
    DEPARTMENT_CREATE,
    USER_CREATE,
)
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import ensure_credit_office, ensure_token_manager

TOKEN_PREFIX = "xy"  # noqa: S105 - the public prefix of every token, not a secret
# A token's default lifetime (issue 12): a department renews its systems' tokens yearly.
TOKEN_LIFETIME_DAYS = 365
TOKEN_MAX_LIFETIME_DAYS = 5 * 365


def _validation_error(exc: ValidationError) -> ApplicationError:
    details = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    first = next(iter(details.items()))
    return ApplicationError("invalid", f"{first[0]}：{first[1][0]}", details)


def _department_snapshot(department: Department) -> dict[str, Any]:
    return {
        "name": department.name,
        "short_code": department.short_code,
        "uscc": department.uscc,
        "kind": department.kind,
        "parent": department.parent_id,
        "is_active": department.is_active,
    }


@transaction.atomic
def department_create(
    *,
    actor: User,
    name: str,
    short_code: str,
    kind: str = Department.Kind.INDUSTRY,
    uscc: str | None = None,
    parent: Department | None = None,
    former_names: str = "",
    request: HttpRequest | None = None,
) -> Department:
    ensure_credit_office(actor)
    if uscc:
        result = check_uscc(uscc)
        if not result.valid:
            raise ApplicationError(
                "invalid_uscc",
                _("统一社会信用代码：%(reason)s") % {"reason": "；".join(result.errors)},
                {"uscc": result.errors},
            )
        uscc = result.normalized
    department = Department(
        name=name.strip(),
        short_code=short_code.strip().lower(),
        kind=kind,
        uscc=uscc or None,
        parent=parent,
        former_names=former_names,
    )
    try:
        department.full_clean()
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    department.save()
    audit_record(
        actor=actor,
        action=DEPARTMENT_CREATE,
        obj=department,
        after=_department_snapshot(department),
        request=request,
    )
    return department


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    department: Department | None,
    display_name: str = "",
    request: HttpRequest | None = None,
) -> User:
    """The credit office creates any user; nobody else creates users."""
    ensure_credit_office(actor)
    if role != User.Role.CREDIT_ADMIN and department is None:
        raise ApplicationError(
            "department_required",
            _("所属部门：部门用户必须指定所属部门"),
            {"department": "required"},
        )
    user = User(
        username=username.strip(),
        role=role,
        department=department,
        display_name=display_name.strip(),
    )
    try:
        # AUTH_PASSWORD_VALIDATORS, as the admin and `createsuperuser` apply them.
        validate_password(password, user)
    except ValidationError as exc:
        reasons = [str(m) for m in exc.messages]
        raise ApplicationError(
            "weak_password",
            _("初始密码：%(reason)s") % {"reason": "".join(reasons)},
            {"password": reasons},
        ) from exc
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    user.save()
    audit_record(
        actor=actor,
        action=USER_CREATE,
        obj=user,
        after={"username": user.username, "role": role, "department": department and department.pk},
        request=request,
    )
    return user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "department": token.department.short_code,
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(),
    }


@transaction.atomic
def api_token_create(
    *,
    actor: User | Actor,
    department: Department,
    name: str,
    expires_days: int = TOKEN_LIFETIME_DAYS,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for a department's system, valid for `expires_days` days.
    Returns the token and its secret, which is never stored and cannot be
    shown again. A department administrator's or the credit office's act;
    an `Actor` is the command line (`xinyong tokens create`)."""
    ensure_token_manager(actor, department)
    if not name.strip():
        raise ApplicationError("invalid", _("用途：请填写令牌用途"), {"name": "required"})
    if not 1 <= expires_days <= TOKEN_MAX_LIFETIME_DAYS:
        raise ApplicationError(
            "invalid",
            _("有效期：应为 1 至 %(max)s 天") % {"max": TOKEN_MAX_LIFETIME_DAYS},
            {"expires_days": "out_of_range"},
        )
    name_limit = ApiToken._meta.get_field("name").max_length
    if name_limit is not None and len(name.strip()) > name_limit:
        raise ApplicationError(
            "invalid", _("用途：最多 %(n)s 个字") % {"n": name_limit}, {"name": "too_long"}
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    now = clock.now()
    token = ApiToken.objects.create(
        department=department,
        name=name.strip(),
        prefix=prefix,
        digest=_digest(secret),
        created_at=now,
        created_by=actor if isinstance(actor, User) else None,
        expires_at=now + dt.timedelta(days=expires_days),
    )
    audit_record(
        actor=actor,
        action=API_TOKEN_CREATE,
        obj=token,
        after=_token_snapshot(token),
        request=request,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(
    *,
    actor: User | Actor,
    department: Department,
    token_id: int,
    request: HttpRequest | None = None,
) -> ApiToken:
    ensure_token_manager(actor, department)
    token = department.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFoundError("not_found", _("未找到该令牌"))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=API_TOKEN_REVOKE, obj=token, request=request)
    return token


# Touch `last_used_at` at most this often per token: no write per request under load.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is, or None.

    An expired token is refused with its own message (401), so that a
    department's system says why it stopped working."""
    if not secret or not secret.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = (
        ApiToken.objects.select_related("department")
        .filter(digest=_digest(secret), revoked_at__isnull=True, department__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.expires_at <= now:
        raise ApplicationError(
            "token_expired",
            _("接口令牌 %(prefix)s… 已于 %(at)s 过期，请部门管理员在工作台创建新令牌")
            % {
                "prefix": token.prefix,
                "at": timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M"),
            },
            {"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
            status=401,
        )
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
