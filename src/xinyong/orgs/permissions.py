"""Least privilege: who may see and change a department's things.

A department's users see and change their own department only; the credit
office sees and changes every department. Every selector and service that
touches department data goes through these two functions.
"""

from django.utils.translation import gettext as _

from xinyong.core.audit import Actor, ActorKind
from xinyong.core.errors import NotFoundError, PermissionDeniedError
from xinyong.orgs.models import Department, User


def can_access_department(user: User, department: Department | int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_credit_office:
        return True
    department_id = department if isinstance(department, int) else department.pk
    return user.department_id is not None and user.department_id == department_id


def ensure_department_access(user: User, department: Department) -> None:
    """Refuse a user who is not of this department nor of the credit office.

    Answers "not found" rather than "forbidden" so that a clerk cannot learn
    what another department holds by probing.
    """
    if not can_access_department(user, department):
        raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))


def ensure_credit_office(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.is_credit_office):
        raise PermissionDeniedError("forbidden", _("只有信用办管理员可以执行此操作"))


def can_manage_tokens(user: User, department: Department) -> bool:
    """A department's API tokens are its administrator's or the credit office's to make
    and revoke; a clerk or an officer only sees them."""
    if not can_access_department(user, department):
        return False
    return user.is_credit_office or user.role == User.Role.DEPARTMENT_ADMIN


def ensure_token_manager(actor: User | Actor, department: Department) -> None:
    """The command line (an `Actor` of kind system: whoever runs `xinyong` on the
    server) may; a user must be the department's administrator or the credit office."""
    if isinstance(actor, Actor):
        if actor.kind != ActorKind.SYSTEM:
            raise PermissionDeniedError("forbidden", _("只有部门管理员或信用办可以管理接口令牌"))
        return
    ensure_department_access(actor, department)
    if not can_manage_tokens(actor, department):
        raise PermissionDeniedError("forbidden", _("只有部门管理员或信用办可以管理接口令牌"))


# A credit service agency's account (Department.Kind.AGENCY) is not a government department:
# it orders credit reports, files the reports it issues and manages its own API tokens. These
# are the staff pages (namespace, URL name) and the API paths open to it; every other page
# and operation is refused, whatever it would show (default deny: a new page is closed to an
# agency until it is listed here).
AGENCY_PAGES = frozenset(
    {
        ("orgs", "staff_home"),
        ("orgs", "login"),
        ("orgs", "logout"),
        ("orgs", "department_detail"),
        ("orgs", "token_create"),
        ("orgs", "token_revoke"),
        ("reports", "list"),
        ("reports", "detail"),
        ("reports", "file"),
        ("reports", "filing_list"),
        ("reports", "filing_new"),
        ("reports", "filing_detail"),
        ("reports", "filing_file"),
    }
)
AGENCY_API_PATHS = ("/api/v1/reports", "/api/v1/agency-reports")


def agency_may_open(namespace: str, url_name: str | None) -> bool:
    return (namespace, url_name or "") in AGENCY_PAGES


def agency_may_call(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in AGENCY_API_PATHS)


def agency_refused() -> PermissionDeniedError:
    return PermissionDeniedError(
        "agency_scope",
        _("信用服务机构账号只能申请和备案信用报告、管理本机构的接口令牌，不能使用此功能"),
    )
