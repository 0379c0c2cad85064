"""The objection API's bodies (their shape is used by integrators: keep it)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from xinyong.core.schemas import PlainText


class ApplicantIn(Schema):
    name: PlainText = Field(min_length=1, max_length=200, description="申请人名称或姓名")
    kind: Literal["legal", "person"] = Field(description="legal：单位；person：个人")
    code: PlainText = Field(
        min_length=1, max_length=30, description="统一社会信用代码（单位）或居民身份证号码（个人）"
    )
    phone: PlainText = Field(min_length=1, max_length=30, description="联系电话")
    email: PlainText | None = Field(
        default=None, max_length=254, description="电子邮箱（可选）：每个办理环节通过邮件告知"
    )


class ObjectionIn(Schema):
    record_id: int = Field(ge=1, description="异议的公示记录编号")
    applicant: ApplicantIn
    reason: PlainText = Field(min_length=1, max_length=5000, description="异议理由")


class FiledOut(Schema):
    number: str = Field(description="受理编号")
    secret: str = Field(description="查询密码（仅显示一次，请妥善保存）")
    status: str = Field(description="状态")


class ApplicationStatusOut(Schema):
    number: str
    kind: Literal["objection", "repair"] = Field(description="objection 异议；repair 信用修复")
    status: str
    status_text: str
    record_id: int
    filed_on: dt.date
    accept_due: dt.date
    reply_due: dt.date
    closed_on: dt.date | None
    refusal_reason: str
    needs_more_note: str
    reply: str
    remedies: str


class RepairIn(ObjectionIn):
    """The objection's body plus the commitment (信用修复承诺书) accepted."""

    record_id: int = Field(ge=1, description="申请信用修复的公示记录编号")
    reason: PlainText = Field(
        min_length=1, max_length=5000, description="申请理由：纠正失信行为、履行法定义务的情况"
    )
    commitment: bool = Field(description="是否同意并签署信用修复承诺书（须为 true）")
