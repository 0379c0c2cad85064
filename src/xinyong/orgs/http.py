"""Typed requests: what a page or an API operation may assume about `request`.

Annotations only: Django and django-ninja pass their own `HttpRequest`; these
classes tell mypy (and the reader) what the decorators guarantee.
"""

from django.http import HttpRequest

from xinyong.orgs.models import ApiToken, Department, User


class StaffRequest(HttpRequest):
    """A request to a `@login_required` page: `request.user` is a signed-in user."""

    user: User


class TokenRequest(HttpRequest):
    """A request that `orgs.auth.DepartmentToken` authenticated."""

    auth: ApiToken
    department: Department
    api_token: ApiToken
