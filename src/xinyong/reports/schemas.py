from datetime import date
from typing import Literal

from ninja import Field, Schema

from xinyong.core.schemas import PlainText
from xinyong.reports.models import SPECIAL_MAX_YEARS


class ReportIn(Schema):
    subject: str = Field(..., min_length=18, max_length=18, description="统一社会信用代码")
    kind: Literal["general", "special"] = Field(
        "general", description="general：法人和非法人组织公共信用信息报告；special：专项信用报告"
    )
    purpose: PlainText = Field(
        ..., min_length=1, max_length=200, description="查询事由（如：信易贷授信审查）"
    )
    years: int | None = Field(
        None, ge=1, le=SPECIAL_MAX_YEARS, description="专项信用报告的查询年限（1–5 年）"
    )
    areas: list[str] = Field(
        default_factory=list, max_length=30, description="专项报告的查询领域（部门简码）；空为全部"
    )


class ReportOut(Schema):
    number: str = Field(..., description="报告编号")
    kind: str
    status: str = Field(..., description="queued / running / issued / failed")
    progress: int = Field(..., description="生成进度（%）")
    subject: str = Field(..., description="主体名称")
    issued_on: str | None = Field(None, description="出具日期")
    sha256: str = Field("", description="报告内容摘要（签名前 PDF 的 SHA-256）")
    status_url: str
    download_url: str = Field(..., description="PDF 下载地址（出具后可用，需同一令牌）")
    verify_url: str = Field(..., description="公开核验页")
    error: str = ""


class AgencyReportIn(Schema):
    """The fields of a filing (multipart form fields beside the `file` part)."""

    number: PlainText = Field(..., min_length=1, max_length=50, description="机构自编的报告编号")
    subject_uscc: PlainText = Field(
        ..., min_length=18, max_length=18, description="报告主体的统一社会信用代码（仅限组织）"
    )
    subject_name: PlainText = Field(
        "", max_length=200, description="主体名称；平台已有该主体时可空"
    )
    kind: Literal["comprehensive", "rating", "special"] = Field(
        ..., description="comprehensive：综合信用报告；rating：信用评级报告；special：专项信用报告"
    )
    grade: Literal["", "AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"] = Field(
        "", description="信用等级（信用评级报告必填）"
    )
    issued_on: date = Field(..., description="出具日期")
    valid_until: date = Field(..., description="有效期至（晚于出具日期，最长一年）")
    purpose: Literal["bidding", "procurement", "approval", "honours", "financing", "other"] = Field(
        ...,
        description=(
            "用途：bidding 招标投标；procurement 政府采购；approval 行政审批；"
            "honours 评优评先；financing 融资信贷；other 其他"
        ),
    )


class AgencyReportOut(Schema):
    id: int
    number: str = Field(..., description="机构自编的报告编号")
    status: str = Field(
        ..., description="submitted 待备案 / filed 已备案 / returned 已退回 / revoked 已撤销"
    )
    status_label: str
    subject_uscc: str
    subject_name: str
    kind: str
    grade: str
    issued_on: date
    valid_until: date
    purpose: str
    sha256: str = Field(..., description="所提交 PDF 的 SHA-256")
    due_on: date = Field(..., description="信用办审核期限（提交后 5 个工作日）")
    filed_on: date | None = None
    reason: str = Field("", description="退回或撤销原因")
