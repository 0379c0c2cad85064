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
        if response.status_code == 405 and not response.content:
            # Django's bare 405 (require_safe, require_POST) on a page: said in Chinese.
            allowed = response.get("Allow", "")
            error = ApplicationError(
                "method_not_allowed",
                _("该页面不支持 %(method)s 请求，可用：%(allowed)s")
                % {"method": request.method, "allowed": allowed},
                status=405,
            )
            page = render(request, "error.html", {"error": error}, status=405)
            page["Allow"] = allowed
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApplicationError):
            response = render(request, "error.html", {"error": exception}, status=exception.status)
            for name, value in exception.headers.items():
                response[name] = value
            return response
        return None


class RefuseNulMiddleware:
    """A NUL byte in the path or a query parameter answers 400 with a Chinese message.

    No page or operation has a use for one, and the databases refuse it (SQLite's full-text
    search answered "unterminated string", PostgreSQL refuses NUL in any text): checked once
    here rather than in every view. Form and JSON bodies are checked where they are parsed
    (Django's form fields, ingest's `check_characters`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            return bad_request(
                request, "invalid_character", _("请求中含有空字符（NUL），请删除后重试")
            )
        return self.get_response(request)


def bad_request(request: HttpRequest, code: str, message: str, status: int = 400) -> HttpResponse:
    """A 4xx outside any view: the API's JSON shape under /api/, the error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "details": {}}, status=status)
    error = ApplicationError(code, message, status=status)
    return render(request, "error.html", {"error": error}, status=status)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY) on every response:
    Django and django-csp set the other security headers, none sets this one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
