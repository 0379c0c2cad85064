from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API's one error shape, even for a path no operation serves.
        return JsonResponse(
            {"code": "not_found", "message": "接口不存在：" + request.path, "details": {}},
            status=404,
        )
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
