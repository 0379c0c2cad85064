"""The one HTTP API, `/api/v1/`: a router per app, one error shape.

Every error answers `{"code": …, "message": "<中文>", "details": …}`.
"""

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xinyong.catalog.api import router as catalog_router
from xinyong.core.api import router as core_router
from xinyong.core.errors import ApplicationError
from xinyong.ingest.api import router as ingest_router
from xinyong.integrity.api import public_router as integrity_public_router
from xinyong.integrity.api import router as integrity_router
from xinyong.lists.api import public_router as lists_public_router
from xinyong.orgs.api import router as orgs_router
from xinyong.records.api import public_router as records_public_router
from xinyong.records.api import router as records_router
from xinyong.reports.api import router as reports_router
from xinyong.rights.api import public_router as rights_public_router
from xinyong.rights.api_commitments import router as rights_commitments_router
from xinyong.sanctions.api import router as sanctions_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="信用 Xinyong API",
    version="1",
    description="公共信用信息平台接口。错误统一返回 {code, message, details}，message 为中文说明。",
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, details: object = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


def _field_name(loc: Sequence[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload", "form")]
    return ".".join(parts) or _("请求")


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, exc.message, exc.details)
    for name, value in exc.headers.items():
        response[name] = value
    return response


# Chinese for the validation errors clients meet most; others keep pydantic's text.
_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数值",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为数组",
    "dict_type": "应为 JSON 对象",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为时间（ISO 8601）",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "过长",
    "json_invalid": "不是有效的 JSON",
    "string_unicode": "含有无效的 Unicode 字符（孤立的代理项）",
    "enum": "不在可选值中",
    "literal_error": "不在可选值中",
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "field": _field_name(list(e.get("loc", []))),
            "error": _PYDANTIC_MESSAGES.get(
                e.get("type", ""), str(e.get("msg", "")).removeprefix("Value error, ")
            ),
            "type": e.get("type"),
        }
        for e in exc.errors
    ]
    first = details[0]["field"] if details else _("请求")
    return _error(
        request, 422, "invalid_request", _("请求参数有误：%(field)s") % {"field": first}, details
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthorized", _("缺少或无效的接口令牌（Authorization: Bearer …）")
    )


# Chinese for the English messages django-ninja raises itself.
# (In DEBUG it appends the parser's error in parentheses, hence the prefix match.)
_NINJA_MESSAGES = {
    "Cannot parse request body": (
        "invalid_json",
        gettext_lazy("请求体不是有效的 JSON（UTF-8 编码）"),
    ),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    text = str(exc)
    for english, (code, message) in _NINJA_MESSAGES.items():
        if text.startswith(english):
            return _error(request, exc.status_code, code, str(message))
    return _error(request, exc.status_code, "http_error", text)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("未找到"))


# A 行政处罚 record with all its fields is about 1 KB as JSON (UTF-8, Chinese text): the
# body limit (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) holds about this many records.
API_RECORD_BYTES = 1024


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    records = limit // API_RECORD_BYTES
    return _error(
        request,
        413,
        "request_too_large",
        _(
            "请求体超过上限 %(mb)s MB（%(bytes)d 字节），约可容纳 %(records)d 条记录："
            "请分批报送，或上传文件"
        )
        % {"mb": f"{limit / 1024 / 1024:g}", "bytes": limit, "records": records},
        {"max_bytes": limit, "max_records": records},
    )


@api.exception_handler(MultiPartParserError)
def on_bad_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A multipart body Django cannot read: no boundary, a cut-off part, a bad encoding.
    return _error(
        request,
        400,
        "invalid_form",
        _("请求体不是有效的 multipart/form-data（缺少 boundary 或格式不完整），请检查上传方式"),
    )


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Too many form fields or files, a forged header: refused, never a 500.
    logger.warning("suspicious API request: %s", exc)
    return _error(request, 400, "bad_request", _("请求格式不被接受（字段或文件过多，或格式异常）"))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error")
    return _error(request, 500, "server_error", _("服务器内部错误，请稍后重试或联系信用办"))


api.add_router("/", core_router)
api.add_router("/", orgs_router)
api.add_router("/", catalog_router)
api.add_router("/", ingest_router)
api.add_router("/", records_router)
api.add_router("/", sanctions_router)
api.add_router("/", reports_router)
api.add_router("/", integrity_router)
api.add_router("/public/", records_public_router)
api.add_router("/public/", lists_public_router)
api.add_router("/public/", rights_public_router)
api.add_router("/public/", integrity_public_router)
api.add_router("/", rights_commitments_router)
