import datetime as dt

from ninja import Schema
from pydantic import Field

from xinyong.core.schemas import PlainText


class PersonIn(Schema):
    id_number: PlainText = Field(
        min_length=1, max_length=18, description="居民身份证号码（不写入日志）"
    )


class IntegrityRecordOut(Schema):
    id: int
    item: str
    item_name: str
    department: str
    doc_number: str
    decision_date: str | None
    kind: str
    content: str


class IntegrityFileOut(Schema):
    subject: int
    name: str
    id_masked: str
    records: list[IntegrityRecordOut]


class IntegrityCheckIn(Schema):
    domain: str = Field(
        min_length=1, max_length=10, description="RYLY（录用任用）或 PYBZ（评优表彰）"
    )
    matter: PlainText = Field(default="", max_length=200)
    id_number: PlainText = Field(min_length=1, max_length=18)
    name: PlainText = Field(default="", max_length=50)


class ComplaintSecretIn(Schema):
    secret: str = Field(default="", max_length=64, description="查询密码（提交投诉时仅显示一次）")


class ComplaintStatusOut(Schema):
    """A complaint's progress for its complainant: no personal data."""

    number: str
    status: str = Field(
        description="submitted 待受理；accepted 办理中；rejected 不予受理；closed 已办结"
    )
    status_text: str
    body_name: str = Field(description="被投诉单位")
    filed_on: dt.date
    accept_due: dt.date
    accepted_on: dt.date | None
    handle_due: dt.date | None
    closed_on: dt.date | None
    department: str = Field(description="承办部门（受理后）")
    refusal_reason: str
    outcome: str = Field(description="substantiated 投诉属实；partly 部分属实；unfounded 不属实")
    outcome_text: str
    outcome_note: str = Field(description="处理意见")
    breach_recorded: bool = Field(description="投诉属实并已记入政务失信记录")
