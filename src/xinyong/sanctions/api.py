"""The check's HTTP API: a department's system checks a counterpart before a decision."""

from typing import Any

from ninja import Router

from xinyong.core.schemas import ErrorOut
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.schemas import CheckIn, CheckOut
from xinyong.sanctions.services.checks import check_run

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
