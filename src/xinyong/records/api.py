"""The records' HTTP API.

- `router` (mounted at `/`): a department's systems withdraw a record they
  submitted (行政处罚法 art. 48), with the department's token.
- `public_router` (mounted at `/public/`): the open data, public 双公示
  records and their changes. No token: everything there is public, and only
  public fields are in it (`records.selectors.public`).
"""

from django.http import HttpRequest
from ninja import P, Query, QueryEx, Router

from xinyong.core import ratelimit
from xinyong.core.schemas import ErrorOut
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest
from xinyong.records import selectors
from xinyong.records.schemas import (
    ChangeOut,
    ChangePageOut,
    FieldOut,
    PublicRecordOut,
    RecordFilterIn,
    RecordPageOut,
    WithdrawIn,
    WithdrawOut,
)
from xinyong.records.services import record_withdraw

router = Router(tags=["数据报送"])
public_router = Router(tags=["公开数据"])


@router.post(
    "/items/{code}/withdrawals",
    auth=DepartmentToken(),
    response={200: WithdrawOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="撤回一条记录",
    description=(
        "行政处罚决定被变更、撤销、确认违法或者确认无效时，撤回本部门报送的记录："
        "记录立即停止公示，撤回原因在公示网站上说明，开放数据的变更接口列出该撤回。"
    ),
)
def withdraw_record(request: TokenRequest, code: str, body: WithdrawIn) -> WithdrawOut:
    record = selectors.record_by_key(
        department_id=request.department.pk, item_code=code, key=body.key
    )
    record = record_withdraw(
        actor=request.auth,
        record=record,
        reason=body.reason,
        decided_on=body.decided_on,
        kind=body.kind.value,
        request=request,
    )
    return WithdrawOut(
        record=record.pk,
        status=record.status,
        withdrawn_on_time=record.withdrawn_on_time,
        unpublished_on=record.unpublished_on,
    )


# -- open data ------------------------------------------------------------------
# The operation ids are those the open data was first published with (when the
# portal served it): clients generated from the OpenAPI document are named by them.


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
        correction=view.correction,
    )


@public_router.get(
    "/records",
    response={200: RecordPageOut, 422: ErrorOut, 429: ErrorOut},
    summary="公示中的双公示记录",
    description=(
        "按记录编号递增分页：把返回的 next_cursor 作为下一次请求的 cursor。"
        "只含公示中的记录和公开字段；自然人姓名已遮蔽，不含证件号码。"
    ),
    operation_id="xinyong_portal_api_public_records",
)
def public_records(request: HttpRequest, filters: Query[RecordFilterIn]) -> RecordPageOut:
    ratelimit.check(request, "open_data")
    page = selectors.open_data_page(
        selectors.OpenDataFilters(
            item=filters.item,
            department=filters.department,
            date_from=filters.date_from,
            date_to=filters.date_to,
            after=filters.cursor,
        ),
        filters.limit,
    )
    return RecordPageOut(
        items=[_record_out(view) for view in page.records], next_cursor=page.next_cursor
    )


@public_router.get(
    "/changes",
    response={200: ChangePageOut, 422: ErrorOut, 429: ErrorOut},
    summary="双公示变化（增量同步）",
    description=(
        "列出 since 之后的新增、更正和撤下（到期、撤销），按变化时间排序。"
        "首次同步用一个时间（如 2026-01-01T00:00:00+08:00），之后把返回的 next_cursor 作为 since；"
        "has_more 为 true 时立即再取。撤下的记录只给编号和原因（撤销时为撤销理由），不再给内容。"
        "公示期满的记录在每日公示任务将其撤下时列出（公示页面和数据接口在到期次日零时即不再提供）。"
    ),
    operation_id="xinyong_portal_api_public_changes",
)
def public_changes(
    request: HttpRequest,
    since: QueryEx[str, P(max_length=200, description="ISO 时间或上次的 next_cursor")],
    limit: QueryEx[int, P(ge=1, le=1000, description="每次最多条数")] = 200,
) -> ChangePageOut:
    ratelimit.check(request, "open_data")
    page = selectors.changes_since(selectors.parse_since(since), limit)
    return ChangePageOut(
        changes=[
            ChangeOut(
                record_id=c.record_id,
                item=c.item_code,
                change=c.change,
                reason=c.reason,
                reason_text=c.reason_text,
                changed_at=c.changed_at,
                record=_record_out(c.record) if c.record else None,
            )
            for c in page.changes
        ],
        next_cursor=selectors.encode_cursor(page.position),
        has_more=page.more,
    )
