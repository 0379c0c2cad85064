"""A department's systems withdraw a record they submitted (行政处罚法 art. 48)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xinyong.core.errors import NotFoundError
from xinyong.core.schemas import ErrorOut
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw

router = Router(tags=["数据报送"])


class WithdrawIn(Schema):
    key: str = Field(
        ..., description="记录的主键：目录的主键字段，如行政处罚的决定文书号", max_length=200
    )
    reason: str = Field(..., description="撤回原因，将在公示网站上说明", max_length=2000)
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
    record = (
        Record.objects.filter(
            department=request.department, item__code__iexact=code, record_key=body.key.strip()
        )
        .select_related("department")
        .first()
    )
    if record is None:
        raise NotFoundError(
            "not_found",
            _("本部门在目录事项“%(code)s”下没有主键为“%(key)s”的记录")
            % {"code": code, "key": body.key},
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
