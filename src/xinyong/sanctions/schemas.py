"""The check's API shapes (`POST /api/v1/checks`)."""

import builtins
import datetime as dt

from ninja import Field, Schema

from xinyong.core.schemas import PlainText


class CheckIn(Schema):
    uscc: PlainText = Field("", description="统一社会信用代码", max_length=40)
    legacy_code: PlainText = Field(
        "", description="旧代码：15位工商注册号或9位组织机构代码", max_length=40
    )
    id_number: PlainText = Field(
        "", description="居民身份证号码（自然人；应答中遮蔽）", max_length=40
    )
    name: PlainText = Field(
        "", description="名称：须为完整名称（片段不匹配），仅凭名称命中的需人工核实", max_length=200
    )
    domain: PlainText = Field(
        ..., description="领域代码，如 XZXK 行政许可、ZFCG 政府采购、ZBTB 招标投标", max_length=10
    )
    matter: PlainText = Field(..., description="办理事项（项目编号、许可申请号等）", max_length=200)


class MatchedByOut(Schema):
    method: str = Field(..., description="uscc / legacy_code / id_digest / name / name_variant")
    label: str
    query_value: str = Field(..., description="查询值（身份证号码已遮蔽）")
    entry_value: str = Field(..., description="平台登记的值（身份证号码已遮蔽）")
    needs_review: bool = Field(..., description="仅凭名称命中：需人工核实")


class SubjectOut(Schema):
    id: int
    name: str
    kind: str
    uscc: str
    id_masked: str
    matched_by: MatchedByOut


class ListOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="red 红名单 / black 黑名单 / watch 重点关注")
    kind_label: str


class EntryOut(Schema):
    id: int | None = Field(None, description="本平台认定的名单条目编号")
    record_id: int | None = Field(None, description="由目录事项（如 SXBZX）推送的记录编号")
    decider: str
    document_number: str
    listed_on: dt.date | None
    valid_until: dt.date | None = Field(None, description="空：至移出")
    valid_until_text: str
    removal_conditions: str


class MeasureOut(Schema):
    id: int
    memorandum: str
    document_number: str
    number: int
    domain: str
    content: str
    targets: str
    force: str = Field(..., description="mandatory 强制性 / discretionary 裁量性")
    force_label: str
    legal_basis: str
    implementing_body: str


class SeriousRecordOut(Schema):
    id: int
    item: str
    department: str
    doc_number: str
    decision_date: dt.date | None
    disclosure_end: dt.date | None
    disputed: bool
    objection: str = Field("无", description="异议处理中 / 无")


class StatusOut(Schema):
    disputed: bool = Field(..., description="名单条目（或其来源记录）处于异议处理中")
    objection: str = Field(..., description="异议处理中 / 无")
    repair: str = Field(..., description="信用修复申请处理中 / 无")


class HitOut(Schema):
    subject: SubjectOut
    list: ListOut
    entry: EntryOut
    matched_by: MatchedByOut
    needs_review: bool
    review_label: str
    measures: builtins.list[MeasureOut]
    rewards: builtins.list[MeasureOut]
    serious_records: builtins.list[SeriousRecordOut]
    status: StatusOut


class ProblemOut(Schema):
    field: str
    message: str


class CheckOut(Schema):
    check_id: int = Field(..., description="核查编号：反馈时引用")
    query: str
    domain: str | None
    matter: str
    subjects: list[SubjectOut]
    problems: list[ProblemOut]
    needs_review: bool
    feedback_due: dt.date | None = Field(None, description="命中时：措施落实情况的反馈期限")
    hits: list[HitOut]


class FeedbackIn(Schema):
    applied: bool = Field(..., description="是否实施了备忘录措施")
    measure_id: int | None = Field(
        None,
        description="实施的措施编号：取自本次核查应答中命中条目的 measures[].id 或 rewards[].id",
    )
    reason_not_applied: PlainText = Field(
        "", description="未实施措施的原因（applied 为 false 时必填）", max_length=2000
    )
    result: PlainText = Field(..., description="处理结果", max_length=2000)
    decided_on: dt.date = Field(..., description="处理日期：不早于核查日期，不晚于今天")
    officer_name: PlainText = Field(..., description="经办人姓名", max_length=50)


class FeedbackMeasureOut(Schema):
    id: int
    content: str


class FeedbackOut(Schema):
    id: int
    check_id: int
    applied: bool
    measure: FeedbackMeasureOut | None
    reason_not_applied: str
    result: str
    decided_on: dt.date
    officer_name: str
    created_at: dt.datetime
    is_late: bool = Field(..., description="晚于反馈期限")


class StoredCheckOut(Schema):
    check_id: int
    created_at: dt.datetime
    channel: str = Field(..., description="page 工作台 / bulk 批量核查 / api 接口 / cli 命令行")
    query: str = Field(..., description="核查对象（身份证号码已遮蔽）")
    domain: str | None
    matter: str
    needs_review: bool
    feedback_due: dt.date | None
    hits: list[HitOut] = Field(..., description="核查时的应答，原样保存")
    feedback: FeedbackOut | None = Field(None, description="已反馈的措施落实情况")
