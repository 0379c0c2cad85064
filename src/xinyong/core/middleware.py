from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError


class ApplicationErrorMiddleware:
    """Turns an `ApplicationError` escaping a page view into a Chinese error page
    with its status (the API has its own JSON handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # The API's one error shape, also for a method an operation lacks.
            allowed = response.get("Allow", "")
            shaped = JsonResponse(
                {
                    "code": "method_not_allowed",
                    "message": _("该接口不支持 %(method)s 请求，可用：%(allowed)s")
                    % {"method": request.method, "allowed": allowed},
                    "details": {"allowed": allowed},
                },
                status=405,
            )
            shaped["Allow"] = allowed
            return shaped
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApplicationError):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None
