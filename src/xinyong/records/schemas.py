"""The records' API shapes: a department's withdrawal, and the open data
(public 双公示 records and their changes)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from xinyong.core.ids import MAX_ID
from xinyong.core.schemas import PlainText
from xinyong.orgs.models import Department
from xinyong.records.models import Record

_SHORT_CODE_MAX = Department._meta.get_field("short_code").max_length

# -- withdrawal (a department's token) ------------------------------------------


class WithdrawIn(Schema):
    key: PlainText = Field(
        ...,
        description=(
            "记录的主键：目录的主键字段，如行政处罚的决定文书号；多字段主键用“|”连接，"
            "或只给第一个字段（如失信被执行人的执行案号），其对应本部门唯一一条记录时即可"
        ),
        max_length=200,
    )
    reason: PlainText = Field(..., description="撤回原因，将在公示网站上说明", max_length=2000)
    kind: Record.WithdrawalKind = Field(
        Record.WithdrawalKind.NONE,
        description=(
            "changed 决定被变更 / revoked 决定被撤销 / illegal 决定被确认违法 / "
            "invalid 决定被确认无效 / other 其他"
        ),
    )
    decided_on: dt.date | None = Field(
        None, description="变更或撤销决定的日期：据此判断是否在 3 个工作日内撤回"
    )


class WithdrawOut(Schema):
    record: int
    status: str
    withdrawn_on_time: bool | None
    unpublished_on: dt.date | None


# -- open data (no token) -------------------------------------------------------


class FieldOut(Schema):
    label: str = Field(description="字段中文名（双公示数据标准）")
    value: str


class PublicRecordOut(Schema):
    id: int = Field(description="记录编号（分页游标按它递增）")
    item: str = Field(description="目录事项编码：XZXK 行政许可，XZCF 行政处罚")
    item_name: str
    department: str = Field(description="公示部门简码")
    department_name: str
    subject_name: str = Field(description="行政相对人名称；自然人已遮蔽")
    subject_uscc: str = Field(description="统一社会信用代码；自然人为空")
    doc_number: str
    decision_date: dt.date | None
    category: str = Field(description="许可类别或处罚类别")
    public_until: dt.date | None = Field(description="公示截止日期")
    disputed: bool = Field(description="是否处于异议处理中")
    updated_at: dt.datetime
    fields: list[FieldOut] = Field(description="全部公开字段（已按规则遮蔽），按目录顺序")
    correction: str = Field("", description="最近一次更正的原因（如异议核实后更正）；未更正为空")


class RecordPageOut(Schema):
    items: list[PublicRecordOut]
    next_cursor: int | None = Field(description="下一页的 cursor；为空表示没有更多")


class RecordFilterIn(Schema):
    item: Literal["XZXK", "XZCF"] | None = Field(None, description="目录事项编码")
    department: str | None = Field(
        None, max_length=_SHORT_CODE_MAX, description="公示部门简码，如 scjg"
    )
    date_from: dt.date | None = Field(None, description="决定日期自（含）")
    date_to: dt.date | None = Field(None, description="决定日期至（含）")
    cursor: int | None = Field(None, ge=0, le=MAX_ID, description="上一页返回的 next_cursor")
    limit: int = Field(100, ge=1, le=500, description="每页条数，1–500")


class ChangeOut(Schema):
    record_id: int
    item: str
    change: Literal["added", "corrected", "removed"] = Field(
        description="added 新增公示；corrected 更正（新的修订）；removed 撤下（到期或撤销）"
    )
    reason: str = Field(
        description="撤下原因代码：expired 公示期满，withdrawn 撤回，not_disclosed 依规不予公示，"
        "repaired 信用修复终止公示，purged 超过保存期限已删除"
    )
    reason_text: str = Field(description="撤下原因说明（撤回时为撤回理由）；更正时为更正原因")
    changed_at: dt.datetime
    record: PublicRecordOut | None = Field(description="新增和更正时为记录的公开内容；撤下时为空")


class ChangePageOut(Schema):
    changes: list[ChangeOut]
    next_cursor: str = Field(description="下次请求的 since；没有新变化时原样返回")
    has_more: bool
