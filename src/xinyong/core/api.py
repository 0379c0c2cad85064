"""Core API operations: the identifier check, `GET /api/v1/codes/{code}`."""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from xinyong.core import identifiers
from xinyong.core.errors import ApplicationError
from xinyong.core.schemas import ErrorOut

router = Router(tags=["代码校验"])

# Longer than any identifier with all the spaces a spreadsheet can add; a
# longer path is not a code.
MAX_CODE_LENGTH = 64


class CodeCheckOut(Schema):
    normalized: str
    kind: Literal["uscc", "resident_id", "registration_number", "organization_code", "unknown"]
    valid: bool
    errors: list[str]
    parts: dict[str, Any]


@router.get(
    "/codes/{code}",
    response={200: CodeCheckOut, 400: ErrorOut},
    summary="校验代码",
    description=(
        "识别并校验统一社会信用代码、居民身份证号码、工商注册号或组织机构代码。"
        "代码有效与否都返回 200，结论在 valid 中，errors 逐条说明原因，"
        "parts 为解析出的各部分（登记管理部门、机构类别、行政区划等）。"
        "代码前后及中间的空格、全角字符和小写字母会先规范化，不会纠正错误字符。"
    ),
)
def code_check(request: HttpRequest, code: str) -> CodeCheckOut:
    if len(code) > MAX_CODE_LENGTH:
        raise ApplicationError(
            "code_too_long",
            _("代码过长：最多%(max)d个字符，实为%(got)d个")
            % {"max": MAX_CODE_LENGTH, "got": len(code)},
            {"max_length": MAX_CODE_LENGTH},
        )
    result = identifiers.check_code(code)
    return CodeCheckOut(
        normalized=result.normalized,
        kind=result.kind,
        valid=result.valid,
        errors=result.errors,
        parts=result.parts,
    )
