"""What a credit service agency's account may open (orgs.permissions.AGENCY_PAGES)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.orgs.permissions import agency_may_open, agency_refused


class AgencyScopeMiddleware:
    """Refuses a signed-in agency user every page but those listed for agencies (403, in
    Chinese). The API checks its tokens in `orgs.auth`; public pages stay open to all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "is_agency", False):
            return None
        if not (request.path.startswith("/staff/") or request.path.startswith("/admin/")):
            return None
        match = request.resolver_match
        if match is not None and agency_may_open(match.namespace, match.url_name):
            return None
        error = agency_refused()
        return render(request, "error.html", {"error": error}, status=error.status)
