"""The rights' public API: filing an objection without an account, and an
application's status by its number and secret."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from xinyong.core import ratelimit
from xinyong.core.schemas import ErrorOut
from xinyong.rights.models import Objection, Repair
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.rights.repair_selectors import application_by_secret
from xinyong.rights.schemas import ApplicationStatusOut, FiledOut, ObjectionIn, RepairIn
from xinyong.rights.services import objection_submit, repair_submit
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
    response={200: ApplicationStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="申请办理进度",
)
def application_status(
    request: HttpRequest, number: str, query: Query[SecretIn]
) -> ApplicationStatusOut:
    """凭受理编号和查询密码查看办理进度（异议或信用修复）；编号或密码不符时返回 404。
    按来源地址限制查询频率（超出时 429）。"""
    ratelimit.check(request, "search")
    found = application_by_secret(number=number, secret=query.secret)
    return repair_status_out(found) if isinstance(found, Repair) else status_out(found)


@public_router.post(
    "/repairs",
    response={201: FiledOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="申请信用修复（无需账号）",
)
def file_repair(request: HttpRequest, payload: RepairIn) -> Status[FiledOut]:
    """信息主体对已达最短公示期的失信信息申请信用修复，须同意信用修复承诺书（commitment 为 true）。
    不符合条件时返回 422，message 说明原因（如最短公示期届满的日期）。"""
    ensure_within_rate(request, scope="file")
    a = payload.applicant
    filed = repair_submit(
        record_id=payload.record_id,
        applicant=Applicant(name=a.name, kind=a.kind, code=a.code, phone=a.phone),
        reason=payload.reason,
        commitment=payload.commitment,
        request=request,
    )
    r = filed.repair
    return Status(
        201, FiledOut(number=r.number, secret=filed.secret, status=r.get_status_display())
    )


def repair_status_out(r: Repair) -> ApplicationStatusOut:
    return ApplicationStatusOut(
        number=r.number,
        kind="repair",
        status=r.status,
        status_text=r.get_status_display(),
        record_id=r.record_id,
        filed_on=r.filed_on,
        accept_due=r.accept_due,
        reply_due=r.decide_due or r.accept_due,
        closed_on=r.decided_on,
        refusal_reason=r.refusal_reason,
        needs_more_note="",
        reply=r.decision_note,
        remedies=r.remedies,
    )
