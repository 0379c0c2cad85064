from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.core.errors import ApplicationError


class ApplicationErrorMiddleware:
    """Turns an `ApplicationError` escaping a page view into a Chinese error page
    with its status (the API has its own JSON handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApplicationError):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None
