"""The rights' public API: filing an objection without an account, and an
application's status by its number and secret."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from xinyong.core.schemas import ErrorOut
from xinyong.rights import selectors
from xinyong.rights.models import Objection
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.rights.schemas import ApplicationStatusOut, FiledOut, ObjectionIn
from xinyong.rights.services import objection_submit
from xinyong.rights.services.objection import Applicant

public_router = Router(tags=["信息主体权益"])


@public_router.post(
    "/objections",
    response={201: FiledOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="提出异议（无需账号）",
)
def file_objection(request: HttpRequest, payload: ObjectionIn) -> Status[FiledOut]:
    """信息主体对公示记录提出异议。单位凭统一社会信用代码，个人凭姓名和身份证号码核验身份；
    返回受理编号和查询密码（密码仅此一次显示）。"""
    ensure_within_rate(request, scope="file")
    a = payload.applicant
    filed = objection_submit(
        record_id=payload.record_id,
        applicant=Applicant(
            name=a.name, kind=a.kind, code=a.code, phone=a.phone, email=a.email or ""
        ),
        reason=payload.reason,
        request=request,
    )
    o = filed.objection
    return Status(
        201, FiledOut(number=o.number, secret=filed.secret, status=o.get_status_display())
    )


class SecretIn(Schema):
    secret: str = ""


def status_out(o: Objection) -> ApplicationStatusOut:
    return ApplicationStatusOut(
        number=o.number,
        kind="objection",
        status=o.status,
        status_text=o.get_status_display(),
        record_id=o.record_id,
        filed_on=o.filed_on,
        accept_due=o.accept_due,
        reply_due=o.reply_due,
        closed_on=o.closed_on,
        refusal_reason=o.refusal_reason,
        needs_more_note=o.needs_more_note,
        reply=o.reply,
        remedies=o.remedies,
    )


@public_router.get(
    "/applications/{number}",
    response={200: ApplicationStatusOut, 404: ErrorOut},
    summary="申请办理进度",
)
def application_status(
    request: HttpRequest, number: str, query: Query[SecretIn]
) -> ApplicationStatusOut:
    """凭受理编号和查询密码查看办理进度；编号或密码不符时返回 404。"""
    return status_out(selectors.objection_by_secret(number=number, secret=query.secret))
