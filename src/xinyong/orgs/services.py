"""Writes for departments, users and API tokens. Each writes one audit row."""

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.identifiers import check_uscc
from xinyong.orgs.audit_actions import (
    API_TOKEN_CREATE,
    API_TOKEN_REVOKE,
    DEPARTMENT_CREATE,
    USER_CREATE,
)
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import ensure_credit_office, ensure_department_access

TOKEN_PREFIX = "xy"  # noqa: S105 - the public prefix of every token, not a secret


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


@transaction.atomic
def api_token_create(
    *, actor: User, department: Department, name: str, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Make a token for a department's system. Returns the token and its
    secret, which is never stored and cannot be shown again."""
    ensure_department_access(actor, department)
    if not name.strip():
        raise ApplicationError("invalid", _("用途：请填写令牌用途"), {"name": "required"})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        department=department,
        name=name.strip(),
        prefix=prefix,
        digest=_digest(secret),
        created_at=clock.now(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=API_TOKEN_CREATE,
        obj=token,
        after={"department": department.short_code, "name": token.name, "prefix": prefix},
        request=request,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(
    *, actor: User, department: Department, token_id: int, request: HttpRequest | None = None
) -> ApiToken:
    ensure_department_access(actor, department)
    token = department.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFoundError("not_found", _("未找到该令牌"))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=API_TOKEN_REVOKE, obj=token, request=request)
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is, or None."""
    if not secret or not secret.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = (
        ApiToken.objects.select_related("department")
        .filter(digest=_digest(secret), revoked_at__isnull=True, department__is_active=True)
        .first()
    )
    if token is not None:
        now = clock.now()
        # Touch at most once a minute: no write per request under load.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
