from typing import Literal

from ninja import Field, Schema

from xinyong.reports.models import SPECIAL_MAX_YEARS


class ReportIn(Schema):
    subject: str = Field(..., min_length=18, max_length=18, description="统一社会信用代码")
    kind: Literal["general", "special"] = Field(
        "general", description="general：法人和非法人组织公共信用信息报告；special：专项信用报告"
    )
    purpose: str = Field(
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
