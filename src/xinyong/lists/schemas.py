"""The lists' API shapes: the open data (list types, listings, their changes)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from xinyong.core.ids import MAX_ID


class ListTypeOut(Schema):
    code: str = Field(description="名单编码，如 SXBZX、ZDSSWF、NSXYA")
    name: str
    kind: Literal["red", "black", "watch"] = Field(
        description="red 红名单，black 黑名单，watch 重点关注名单"
    )
    legal_basis: str = Field(description="认定依据")
    standard: str = Field(description="认定标准")
    period: str = Field(description="期限说明")
    period_rule: Literal["fixed_years", "until_removed", "yearly"]
    period_years: int | None
    early_removal: str = Field(description="提前移出条件")
    removal_procedure: str = Field(description="移出条件和程序")
    remedies: str = Field(description="救济途径")
    source: Literal["decided", "catalog_item", "province"] = Field(
        description="decided 本平台依程序认定；catalog_item 由目录事项汇集；province 省级平台推送"
    )


class PublicEntryOut(Schema):
    entry_id: int | None = Field(description="本平台认定的名单条目编号（分页游标按它递增）")
    record_id: int | None = Field(description="由目录事项汇集的名单：记录编号（分页游标按它递增）")
    list: str = Field(description="名单编码")
    list_name: str
    kind: str
    subject_name: str = Field(description="主体名称；自然人已遮蔽")
    subject_uscc: str = Field(description="统一社会信用代码；自然人为空")
    decider: str = Field(description="认定部门")
    document_number: str = Field(description="决定书文号（汇集的名单为案号或公告号）")
    listed_on: dt.date | None
    valid_until: dt.date | None = Field(description="有效期至；为空表示至移出")
    valid_until_text: str
    reasons: str = Field(description="列入事由（已去除证件号、手机号等个人信息）")
    removal_conditions: str
    updated_at: dt.datetime


class EntryPageOut(Schema):
    items: list[PublicEntryOut]
    next_cursor: int | None = Field(description="下一页的 cursor；为空表示没有更多")


class EntryFilterIn(Schema):
    q: str = Field("", max_length=100, description="企业名称（任意部分）或统一社会信用代码")
    cursor: int | None = Field(None, ge=0, le=MAX_ID, description="上一页返回的 next_cursor")
    limit: int = Field(100, ge=1, le=500, description="每页条数，1–500")


class ListChangeOut(Schema):
    change: Literal["listed", "removed"] = Field(description="listed 列入（公示）；removed 移出")
    reason: str = Field(
        description=(
            "移出原因代码：removed 提前移出，revoked 撤销，expired 期满，"
            "withdrawn 认定机关撤回（如法院删除失信被执行人），"
            "suspended 异议处理中暂停公示（处理完毕后重新列出）"
        )
    )
    reason_text: str
    changed_at: dt.datetime
    list: str
    entry_id: int | None
    record_id: int | None
    entry: PublicEntryOut | None = Field(description="列入时为公开内容；移出时为空")


class ListChangePageOut(Schema):
    changes: list[ListChangeOut]
    next_cursor: str = Field(description="下次请求的 since；没有新变化时原样返回")
    has_more: bool
