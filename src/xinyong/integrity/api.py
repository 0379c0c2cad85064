"""The integrity API: a department's system reads a person's integrity file
and runs the integrity check for hiring and honours (department tokens); the
public reads a complaint's progress by its number and secret."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from xinyong.core import ratelimit
from xinyong.core.schemas import ErrorOut
from xinyong.integrity import selectors
from xinyong.integrity.models import GovComplaint
from xinyong.integrity.schemas import (
    ComplaintSecretIn,
    ComplaintStatusOut,
    IntegrityCheckIn,
    IntegrityFileOut,
    PersonIn,
)
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest

router = Router(tags=["政务诚信与个人诚信"])
public_router = Router(tags=["政务诚信与个人诚信"])


@router.post(
    "/integrity/people",
    auth=DepartmentToken(),
    response={200: IntegrityFileOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="个人诚信档案",
    description=(
        "按居民身份证号码查阅一个自然人的个人诚信记录（教师、医师、律师、导游、会计、公务员、"
        "企业法定代表人等），只返回本部门有权查阅的人群；无权查阅或无记录时返回 404。"
        "每次查阅留痕；身份证号码在应答中遮蔽。"
    ),
)
def person_file(request: TokenRequest, body: PersonIn) -> dict[str, Any]:
    subject = selectors.person_by_id_number(body.id_number)
    file = selectors.integrity_file(user=request.auth, subject=subject, request=request)
    return {
        "subject": subject.pk,
        "name": subject.name,
        "id_masked": subject.id_masked,
        "records": [selectors.record_brief(r) for r in file.records],
    }


@router.post(
    "/integrity/checks",
    auth=DepartmentToken(),
    response={200: dict[str, Any], 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="录用任用、评优表彰诚信核查",
    description=(
        "联合奖惩核查（领域 RYLY 或 PYBZ），并附上本部门有权查阅的个人诚信记录"
        "（integrity_records）。核查和查阅均留痕。"
    ),
)
def create_check(request: TokenRequest, body: IntegrityCheckIn) -> dict[str, Any]:
    return selectors.integrity_check(
        user=request.auth,
        domain_code=body.domain,
        matter=body.matter,
        id_number=body.id_number,
        name=body.name,
        request=request,
    ).as_dict()


def complaint_status_out(c: GovComplaint) -> ComplaintStatusOut:
    return ComplaintStatusOut(
        number=c.number,
        status=c.status,
        status_text=c.get_status_display(),
        body_name=c.body_name,
        filed_on=c.filed_on,
        accept_due=c.accept_due,
        accepted_on=c.accepted_on,
        handle_due=c.handle_due,
        closed_on=c.closed_on,
        department=c.department.name if c.department else "",
        refusal_reason=c.refusal_reason,
        outcome=c.outcome,
        outcome_text=c.get_outcome_display() if c.outcome else "",
        outcome_note=c.outcome_note,
        breach_recorded=c.breach_record_id is not None,
    )


@public_router.get(
    "/complaints/{number}",
    response={200: ComplaintStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="政府违约失信投诉办理进度",
    description=(
        "凭投诉编号和查询密码（提交投诉时仅显示一次）查看办理进度、期限和处理结果；"
        "编号或密码不符时均返回 404。按来源地址限制查询频率（超出时 429）。"
    ),
)
def complaint_status(
    request: HttpRequest, number: str, query: Query[ComplaintSecretIn]
) -> ComplaintStatusOut:
    ratelimit.check(request, "search")
    return complaint_status_out(selectors.complaint_by_secret(number=number, secret=query.secret))
