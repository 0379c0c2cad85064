"""Typed requests: what a page or an API operation may assume about `request`.

Annotations only: Django and django-ninja pass their own `HttpRequest`; these
classes tell mypy (and the reader) what the decorators guarantee.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xinyong.orgs.models import ApiToken, Department, User


class StaffRequest(HttpRequest):
    """A request to a `@login_required` page: `request.user` is a signed-in user."""

    user: User


def admin_user(request: HttpRequest) -> User:
    """The signed-in user behind an admin request (the admin site lets in no one else).

    ModelAdmin hooks take a plain `HttpRequest`, so they cannot say `StaffRequest`."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the admin site refused it already
        raise PermissionDenied
    return user


class TokenRequest(HttpRequest):
    """A request that `orgs.auth.DepartmentToken` authenticated."""

    auth: ApiToken
    department: Department
    api_token: ApiToken
