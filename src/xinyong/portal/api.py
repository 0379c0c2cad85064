"""The open-data API: public 双公示 records and their changes. No token:
everything here is public, and only public fields are in it. Mounted with
`api.add_router("/public/", portal_router)`."""

import base64
import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.core.schemas import ErrorOut
from xinyong.portal import selectors

router = Router(tags=["公开数据"])


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


class RecordPageOut(Schema):
    items: list[PublicRecordOut]
    next_cursor: int | None = Field(description="下一页的 cursor；为空表示没有更多")


class RecordFilterIn(Schema):
    item: Literal["XZXK", "XZCF"] | None = Field(None, description="目录事项编码")
    department: str | None = Field(None, max_length=30, description="公示部门简码，如 scjg")
    date_from: dt.date | None = Field(None, description="决定日期自（含）")
    date_to: dt.date | None = Field(None, description="决定日期至（含）")
    cursor: int | None = Field(None, ge=0, description="上一页返回的 next_cursor")
    limit: int = Field(100, ge=1, le=500, description="每页条数，1–500")


class ChangeOut(Schema):
    record_id: int
    item: str
    change: Literal["added", "corrected", "removed"] = Field(
        description="added 新增公示；corrected 更正（新的修订）；removed 撤下（到期或撤销）"
    )
    reason: str = Field(
        description="撤下原因代码：expired 公示期满，withdrawn 撤回，not_disclosed 依规不予公示"
    )
    reason_text: str = Field(description="撤下原因说明（撤回时为撤回理由）")
    changed_at: dt.datetime
    record: PublicRecordOut | None = Field(description="新增和更正时为记录的公开内容；撤下时为空")


class ChangePageOut(Schema):
    changes: list[ChangeOut]
    next_cursor: str = Field(description="下次请求的 since；没有新变化时原样返回")
    has_more: bool


def _record_out(view: selectors.PublicRecord) -> PublicRecordOut:
    return PublicRecordOut(
        id=view.id,
        item=view.item_code,
        item_name=view.item_name,
        department=view.department_code,
        department_name=view.department_name,
        subject_name=view.subject_name,
        subject_uscc=view.subject_uscc,
        doc_number=view.doc_number,
        decision_date=view.decision_date,
        category=view.category,
        public_until=view.public_until,
        disputed=view.disputed,
        updated_at=view.updated_at,
        fields=[FieldOut(label=label, value=value) for label, value in view.fields],
    )


@router.get(
    "/records",
    response={200: RecordPageOut, 422: ErrorOut},
    summary="公示中的双公示记录",
    description=(
        "按记录编号递增分页：把返回的 next_cursor 作为下一次请求的 cursor。"
        "只含公示中的记录和公开字段；自然人姓名已遮蔽，不含证件号码。"
    ),
)
def public_records(request: HttpRequest, filters: Query[RecordFilterIn]):
    qs = selectors.public_records().filter(item__code__in=selectors.SHUANGGONGSHI_ITEMS)
    if filters.item:
        qs = qs.filter(item__code=filters.item)
    if filters.department:
        qs = qs.filter(department__short_code=filters.department)
    if filters.date_from:
        qs = qs.filter(decision_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decision_date__lte=filters.date_to)
    if filters.cursor:
        qs = qs.filter(pk__gt=filters.cursor)
    rows = list(qs.order_by("pk")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return RecordPageOut(
        items=[_record_out(selectors.public_view(r, with_fields=True)) for r in rows],
        next_cursor=rows[-1].pk if more else None,
    )


def _encode_cursor(position: tuple[dt.datetime, int]) -> str:
    moment, pk = position
    text = f"{moment.astimezone(dt.UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _parse_since(since: str) -> tuple[dt.datetime, int]:
    """An ISO datetime (without zone: Beijing time) or a cursor of this feed."""
    value = (since or "").strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=clock.SHANGHAI)
        return moment, 0
    try:
        padded = value + "=" * (-len(value) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        moment_text, pk = text.rsplit("|", 1)
        return dt.datetime.fromisoformat(moment_text), int(pk)
    except (ValueError, UnicodeDecodeError):
        raise ApplicationError(
            "invalid_since",
            _("since 应为 ISO 格式的时间（如 2026-01-05T08:00:00+08:00）或上次返回的 next_cursor"),
            {"since": since},
            status=422,
        ) from None


@router.get(
    "/changes",
    response={200: ChangePageOut, 422: ErrorOut},
    summary="双公示变化（增量同步）",
    description=(
        "列出 since 之后的新增、更正和撤下（到期、撤销），按变化时间排序。"
        "首次同步用一个时间（如 2026-01-01T00:00:00+08:00），之后把返回的 next_cursor 作为 since；"
        "has_more 为 true 时立即再取。撤下的记录只给编号和原因（撤销时为撤销理由），不再给内容。"
        "公示期满的记录在每日公示任务将其撤下时列出（公示页面和数据接口在到期次日零时即不再提供）。"
    ),
)
def public_changes(
    request: HttpRequest,
    since: str = Query(..., max_length=200, description="ISO 时间或上次的 next_cursor"),
    limit: int = Query(200, ge=1, le=1000, description="每次最多条数"),
):
    position = _parse_since(since)
    changes, new_position, more = selectors.changes_since(position, limit)
    return ChangePageOut(
        changes=[
            ChangeOut(
                record_id=c.record_id,
                item=c.item_code,
                change=c.change,  # type: ignore[arg-type]
                reason=c.reason,
                reason_text=c.reason_text,
                changed_at=c.changed_at,
                record=_record_out(c.record) if c.record else None,
            )
            for c in changes
        ],
        next_cursor=_encode_cursor(new_position),
        has_more=more,
    )
