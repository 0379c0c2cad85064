"""Commitments from department systems (`POST /api/v1/commitments`, department
token) and their fulfilment (`POST /api/v1/commitments/{number}/fulfilment`)."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.core.schemas import ErrorOut, PlainText
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest
from xinyong.rights.models import Commitment
from xinyong.rights.services.commitment_fulfilment import commitment_breach, commitment_fulfil
from xinyong.rights.services.commitments import (
    Signer,
    commitment_record,
)

router = Router(tags=["信用承诺"])

TypeCode = Literal["approval", "tolerance", "voluntary", "repair", "industry"]


class SignerIn(Schema):
    kind: Literal["legal", "person"] = Field(description="legal：单位；person：个人")
    name: PlainText = Field(min_length=1, max_length=200, description="单位名称或姓名")
    code: PlainText = Field(
        min_length=1, max_length=30, description="统一社会信用代码（单位）或居民身份证号码（个人）"
    )
    phone: PlainText = Field(min_length=1, max_length=30, description="联系电话")
    contact_name: PlainText = Field("", max_length=50, description="联系人（单位）")
    email: PlainText = Field("", max_length=254, description="电子邮箱（可选，用于履约通知）")


class CommitmentIn(Schema):
    type: TypeCode = Field(
        description="approval 审批替代型；tolerance 容缺受理型；voluntary 主动型；"
        "repair 信用修复型；industry 行业自律型"
    )
    signer: SignerIn
    matter: PlainText = Field("", max_length=300, description="承诺事项，如申办的许可")
    signed_on: dt.date | None = Field(None, description="签署日期，默认今天")


class CommitmentOut(Schema):
    number: str = Field(description="承诺书编号")
    type: str
    status: str
    status_text: str
    published: bool = Field(description="是否在门户公示（主动型、信用修复型）")
    text_version: int = Field(description="所签承诺书文本的版本号")
    signed_on: dt.date
    decided_on: dt.date | None
    breach_record_id: int | None


class FulfilmentIn(Schema):
    outcome: Literal["fulfilled", "breached"] = Field(description="fulfilled 已履约；breached 违诺")
    facts: PlainText = Field(min_length=1, max_length=4000, description="履约或违诺事实")
    decided_on: dt.date | None = Field(None, description="认定日期，默认今天")


def _out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        number=c.number,
        type=c.type,
        status=c.status,
        status_text=c.get_status_display(),
        published=c.is_published,
        text_version=c.text.version,
        signed_on=c.signed_on,
        decided_on=c.decided_on,
        breach_record_id=c.breach_record_id,
    )


@router.post(
    "/commitments",
    auth=DepartmentToken(),
    response={201: CommitmentOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记已签署的信用承诺",
)
def record_commitment(request: TokenRequest, payload: CommitmentIn) -> Status[CommitmentOut]:
    """部门系统推送本部门受理的信用承诺；承诺书文本取签署日期当日启用的版本。"""
    s = payload.signer
    c = commitment_record(
        actor=request.auth,
        department=request.department,
        type=payload.type,
        signer=Signer(
            kind=s.kind,
            name=s.name,
            code=s.code,
            phone=s.phone,
            contact_name=s.contact_name,
            email=s.email,
        ),
        signed_on=payload.signed_on or clock.today(),
        matter=payload.matter,
        channel=Commitment.Channel.API,
        request=request,
    )
    return Status(201, _out(c))


@router.post(
    "/commitments/{number}/fulfilment",
    auth=DepartmentToken(),
    response={
        200: CommitmentOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="认定信用承诺履约或违诺",
)
def decide_commitment(request: TokenRequest, number: str, payload: FulfilmentIn) -> CommitmentOut:
    """本部门受理的承诺：认定已履约，或认定违诺（生成“违背信用承诺”失信记录并通知承诺主体）。"""
    c = Commitment.objects.select_related("text").filter(number=number[:32]).first()
    if c is None or c.department_id != request.department.pk:
        raise NotFoundError("not_found", _("未找到该信用承诺，或您无权访问"))
    decide = commitment_breach if payload.outcome == "breached" else commitment_fulfil
    return _out(
        decide(
            actor=request.auth,
            commitment=c,
            facts=payload.facts,
            decided_on=payload.decided_on,
            request=request,
        )
    )
