from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import NotFoundError
from xinyong.core.schemas import ErrorOut
from xinyong.ingest.models import Batch
from xinyong.ingest.services import batch_submit_api
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest

router = Router(tags=["数据报送"])


class RowError(Schema):
    row: int
    field: str
    value: str
    message: str


class BatchOut(Schema):
    batch: int
    status: str
    failure_reason: str
    received: int
    accepted: int
    rejected: int
    created: int
    updated: int
    unchanged: int
    late: int
    errors: list[RowError]
    # Accepted rows that look inconsistent (e.g. a 91… code declared 个体工商户).
    warned: int
    warnings: list[RowError]


# Rows listed in an answer, rejected or warned (all of them in the batch's xlsx report).
ROWS_LISTED = 1000


def _row_errors(rows: Iterable[tuple[int, list[dict[str, Any]]]]) -> list[RowError]:
    """Messages of rows as the API lists them: `row` is the record's place in the array."""
    return [
        RowError(row=number - 1, field=m["field"], value=str(m["value"]), message=m["message"])
        for number, messages in rows
        for m in messages
    ]


def _batch_out(batch: Batch) -> BatchOut:
    rejected = batch.rejected_rows.order_by("row_number")[:ROWS_LISTED]
    warned = batch.warned_rows.order_by("row_number")[:ROWS_LISTED]
    errors = _row_errors((row.row_number, row.clear_errors()) for row in rejected)
    warnings = _row_errors((row.row_number, row.warnings) for row in warned)
    return BatchOut(
        batch=batch.pk,
        status=batch.status,
        failure_reason=batch.failure_reason,
        received=batch.received,
        accepted=batch.accepted,
        rejected=batch.rejected,
        created=batch.created,
        updated=batch.updated,
        unchanged=batch.unchanged,
        late=batch.late,
        errors=errors,
        warned=batch.warned,
        warnings=warnings,
    )


@router.post(
    "/items/{code}/records",
    auth=DepartmentToken(),
    response={200: BatchOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="报送一批记录",
    description=(
        "请求体为 JSON 数组，每个元素是一条记录：键为目录字段的中文名、字段名或别名。"
        "每条记录都会被接收或退回；错误中的 row 为数组中的序号（从 1 开始）。"
        "warnings 列出已接收但内容相互矛盾、请核对的记录（如以 91 开头的代码填报为个体工商户）。"
        "同一文书号再次报送且内容相同不会重复；内容不同则形成新的修订。"
    ),
)
def submit_records(
    request: TokenRequest, code: str, records: list[dict[str, Any]]
) -> BatchOut | Status[ErrorOut]:
    item = CatalogItem.objects.filter(code__iexact=code).first()
    if item is None:
        raise NotFoundError("item_not_found", _("目录事项“%(code)s”不存在") % {"code": code})
    batch = batch_submit_api(
        department=request.department, item=item, records=records, token=request.auth
    )
    if batch.status == Batch.Status.FAILED:
        return Status(
            422,
            ErrorOut(
                code="batch_failed", message=batch.failure_reason, details={"batch": batch.pk}
            ),
        )
    return _batch_out(batch)


@router.get(
    "/batches/{batch_id}",
    auth=DepartmentToken(),
    response={200: BatchOut, 404: ErrorOut},
    summary="查询批次结果",
)
def get_batch(request: TokenRequest, batch_id: int) -> BatchOut:
    batch = Batch.objects.filter(pk=batch_id, department=request.department).first()
    if batch is None:
        raise NotFoundError("not_found", _("未找到该批次，或它不属于本部门"))
    return _batch_out(batch)
