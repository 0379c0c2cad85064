"""The check's HTTP API: a department's system checks a counterpart before a
decision, reads the stored answer back, and gives feedback on a hit."""

from typing import Any

from ninja import Router, Status

from xinyong.core.audit import audit_record
from xinyong.core.schemas import ErrorOut
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest
from xinyong.sanctions import selectors
from xinyong.sanctions.audit_actions import CHECK_VIEW
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check, Feedback
from xinyong.sanctions.schemas import CheckIn, CheckOut, FeedbackIn, FeedbackOut, StoredCheckOut
from xinyong.sanctions.services.checks import check_run
from xinyong.sanctions.services.feedback import feedback_submit

router = Router(tags=["联合奖惩"])


@router.post(
    "/checks",
    auth=DepartmentToken(),
    response={200: CheckOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="联合奖惩核查",
    description=(
        "作出许可、处罚、采购、招投标、补贴、录用、表彰等决定前，按统一社会信用代码、旧代码、"
        "身份证号码或名称核查对象：返回命中的名单条目、匹配方式（查询值与登记值对照）、"
        "该领域应实施的措施（强制性或裁量性、依据、实施单位）、红名单激励措施、"
        "公示期内的严重失信记录和异议状态。仅凭名称命中的标注“需人工核实”；名称片段不匹配；"
        "身份证号码在应答中遮蔽。每次核查均留痕，命中的须在期限内反馈。"
        "未知领域返回 400 并列出可选领域；代码校验不通过时给出原因，如同时给出名称，仍按名称核查。"
    ),
)
def create_check(request: TokenRequest, body: CheckIn) -> dict[str, Any]:
    outcome = check_run(
        actor=request.auth,
        department=request.department,
        domain_code=body.domain,
        matter=body.matter,
        query=Query(
            uscc=body.uscc, legacy_code=body.legacy_code, id_number=body.id_number, name=body.name
        ),
        channel=Check.Channel.API,
        request=request,
    )
    return outcome.as_dict()


def _feedback_dict(feedback: Feedback) -> dict[str, Any]:
    return {
        "id": feedback.pk,
        "check_id": feedback.check_run_id,
        "applied": feedback.applied,
        "measure": {"id": feedback.measure.pk, "content": feedback.measure.content}
        if feedback.measure is not None
        else None,
        "reason_not_applied": feedback.reason_not_applied,
        "result": feedback.result,
        "decided_on": feedback.decided_on,
        "officer_name": feedback.officer_shown,
        "created_at": feedback.created_at,
        "is_late": feedback.is_late,
    }


@router.get(
    "/checks/{check_id}",
    auth=DepartmentToken(),
    response={200: StoredCheckOut, 401: ErrorOut, 404: ErrorOut},
    summary="查询一次核查的应答",
    description=(
        "本部门的一次核查：核查时的应答（原样保存，不因名单此后的变化而改写）、"
        "反馈期限和已反馈的措施落实情况。其他部门的核查返回 404。"
    ),
)
def get_check(request: TokenRequest, check_id: int) -> dict[str, Any]:
    check = selectors.check_get_for_token(request.auth, check_id)
    audit_record(
        actor=request.auth, action=CHECK_VIEW, obj=check, object_label=check.query, request=request
    )
    feedback = Feedback.objects.filter(check_run=check).select_related("measure").first()
    return {
        "check_id": check.pk,
        "created_at": check.created_at,
        "channel": check.channel,
        "query": check.query,
        "domain": check.domain.code if check.domain is not None else None,
        "matter": check.matter,
        "needs_review": check.needs_review,
        "feedback_due": check.feedback_due,
        "hits": check.hits,
        "feedback": _feedback_dict(feedback) if feedback is not None else None,
    }


@router.post(
    "/checks/{check_id}/feedback",
    auth=DepartmentToken(),
    response={201: FeedbackOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="反馈措施落实情况",
    description=(
        "核查命中后，核查部门在反馈期限内（工作日）反馈：实施的措施（从本次核查命中的备忘录措施中选择）"
        "或未实施的原因、处理结果、处理日期和经办人。逾期反馈照常接收并标注逾期；"
        "每次核查只能反馈一次；其他部门的核查返回 404。"
    ),
)
def create_feedback(request: TokenRequest, check_id: int, body: FeedbackIn) -> Status[FeedbackOut]:
    check = selectors.check_get_for_token(request.auth, check_id)
    feedback = feedback_submit(
        actor=request.auth,
        check=check,
        applied=body.applied,
        measure_id=body.measure_id,
        reason_not_applied=body.reason_not_applied,
        result=body.result,
        decided_on=body.decided_on,
        officer_name=body.officer_name,
        request=request,
    )
    return Status(201, FeedbackOut(**_feedback_dict(feedback)))
