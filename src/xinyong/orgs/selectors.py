from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import ensure_department_access


def department_list_for(user: User) -> QuerySet[Department]:
    """The departments a user may see: all for the credit office, else their own."""
    qs = Department.objects.select_related("parent").annotate(
        user_count=Count("users", distinct=True),
        token_count=Count(
            "api_tokens", filter=Q(api_tokens__revoked_at__isnull=True), distinct=True
        ),
    )
    if user.is_credit_office:
        return qs
    return qs.filter(pk=user.department_id) if user.department_id else qs.none()


def department_get_for(user: User, short_code: str) -> Department:
    department = Department.objects.select_related("parent").filter(short_code=short_code).first()
    if department is None:
        department = Department(pk=-1)  # refused below with the same answer as "not yours"
    ensure_department_access(user, department)
    return department


def department_users(department: Department) -> QuerySet[User]:
    return department.users.order_by("role", "username")


def department_tokens(department: Department) -> QuerySet[ApiToken]:
    return department.api_tokens.select_related("created_by").order_by("-created_at")


def department_get(short_code: str) -> Department:
    """A department by its short code, for the command line (no user to check)."""
    department = Department.objects.filter(short_code=short_code.strip().lower()).first()
    if department is None:
        raise NotFoundError("not_found", _("未找到简码为 %(code)s 的部门") % {"code": short_code})
    return department


def api_token_list(department: Department | None = None) -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("department", "created_by").order_by(
        "department__short_code", "-created_at"
    )
    return qs.filter(department=department) if department is not None else qs


def api_token_get_by_prefix(prefix: str) -> ApiToken:
    """A token by the prefix shown on the department page (`xy_<prefix>_…`)."""
    value = prefix.strip().removeprefix("xy_").rstrip("_…").split("_")[0].lower()
    token = ApiToken.objects.select_related("department").filter(prefix=value).first()
    if token is None:
        raise NotFoundError("not_found", _("未找到前缀为 %(prefix)s 的令牌") % {"prefix": prefix})
    return token
