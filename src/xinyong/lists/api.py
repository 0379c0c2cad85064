"""The lists' HTTP API: the open data (`public_router`, mounted at `/public/`):
list types, the listings of each, and the change feed of listings and
removals. No token: only public fields, persons masked (`lists.public`)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, Query, QueryEx, Router

from xinyong.core.errors import NotFoundError
from xinyong.core.schemas import ErrorOut
from xinyong.lists import public
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.schemas import (
    EntryFilterIn,
    EntryPageOut,
    ListChangeOut,
    ListChangePageOut,
    ListTypeOut,
    PublicEntryOut,
)
from xinyong.records import selectors as records
from xinyong.records.models import Record

public_router = Router(tags=["公开数据"])


def _type_out(t: ListType) -> ListTypeOut:
    return ListTypeOut(
        code=t.code,
        name=t.name,
        kind=t.kind,  # type: ignore[arg-type]  # a Kind value
        legal_basis=t.legal_basis,
        standard=t.standard,
        period=public.period_text(t),
        period_rule=t.period_rule,  # type: ignore[arg-type]  # a PeriodRule value
        period_years=t.period_years,
        early_removal=t.early_removal,
        removal_procedure=t.removal_procedure,
        remedies=t.remedies,
        source=t.source,  # type: ignore[arg-type]  # a Source value
    )


def entry_out(e: public.PublicEntry) -> PublicEntryOut:
    return PublicEntryOut(
        entry_id=e.entry_id,
        record_id=e.record_id,
        list=e.list_code,
        list_name=e.list_name,
        kind=e.kind,
        subject_name=e.subject_name,
        subject_uscc=e.subject_uscc,
        decider=e.decider,
        document_number=e.document_number,
        listed_on=e.listed_on,
        valid_until=e.valid_until,
        valid_until_text=e.valid_until_text,
        reasons=e.reasons,
        removal_conditions=e.removal_conditions,
        updated_at=e.updated_at,
    )


@public_router.get(
    "/lists",
    response={200: list[ListTypeOut]},
    summary="红黑名单类型",
    description="公示的名单类型，各含认定依据、认定标准、期限、提前移出条件、移出程序和救济途径。",
)
def public_list_types(request: HttpRequest) -> list[ListTypeOut]:
    return [_type_out(t) for t in public.list_types_public()]


@public_router.get(
    "/lists/changes",
    response={200: ListChangePageOut, 422: ErrorOut},
    summary="红黑名单变化（增量同步）",
    description=(
        "列出 since 之后的列入和移出（提前移出、撤销、期满、认定机关撤回），按变化时间排序。"
        "游标用法与 /public/changes 相同：首次用一个时间，之后把 next_cursor 作为 since；"
        "has_more 为 true 时立即再取。期满在每日任务将其移出时列出（名单页面和接口在到期次日即不再提供）。"
    ),
)
def public_list_changes(
    request: HttpRequest,
    since: QueryEx[str, P(max_length=200, description="ISO 时间或上次的 next_cursor")],
    limit: QueryEx[int, P(ge=1, le=1000, description="每次最多条数")] = 200,
) -> ListChangePageOut:
    page = public.list_changes_since(records.parse_since(since, signed=True), limit)
    return ListChangePageOut(
        changes=[
            ListChangeOut(
                change=c.change,
                reason=c.reason,
                reason_text=c.reason_text,
                changed_at=c.changed_at,
                list=c.list_code,
                entry_id=c.entry_id,
                record_id=c.record_id,
                entry=entry_out(c.entry) if c.entry else None,
            )
            for c in page.changes
        ],
        next_cursor=records.encode_cursor(page.position),
        has_more=page.more,
    )


@public_router.get(
    "/lists/{code}/entries",
    response={200: EntryPageOut, 404: ErrorOut, 422: ErrorOut},
    summary="名单中的主体",
    description=(
        "某一名单当前有效、已公示的条目，按编号递增分页：把 next_cursor 作为下一次请求的 cursor。"
        "只含公开字段；名单依据允许公示自然人的，姓名已遮蔽，不含证件号码。"
    ),
)
def public_list_entries(
    request: HttpRequest, code: str, filters: Query[EntryFilterIn]
) -> EntryPageOut:
    list_type = public.list_type_public(code)
    if list_type is None:
        raise NotFoundError("not_found", _("没有编码为“%(code)s”的公示名单") % {"code": code})
    qs = public.list_query(list_type, filters.q)
    if filters.cursor:
        qs = qs.filter(pk__gt=filters.cursor)
    rows: list[ListEntry | Record] = list(qs.order_by("pk")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return EntryPageOut(
        items=[entry_out(public.to_public(r, list_type)) for r in rows],
        next_cursor=rows[-1].pk if more else None,
    )
