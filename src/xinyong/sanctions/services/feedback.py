"""Feedback on a check that hit (措施落实反馈): the measure applied, or why not."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.models import ApiToken, User
from xinyong.sanctions.audit_actions import FEEDBACK_SUBMIT
from xinyong.sanctions.models import Check, Feedback, Measure
from xinyong.sanctions.selectors import may_see_check

_OFFICER_NAME_MAX = Feedback._meta.get_field("officer_name").max_length or 50


@transaction.atomic
def feedback_submit(
    *,
    actor: User | ApiToken,
    check: Check,
    applied: bool,
    measure_id: int | None,
    reason_not_applied: str = "",
    result: str,
    decided_on: dt.date,
    officer_name: str = "",
    request: HttpRequest | None = None,
) -> Feedback:
    """Record what the checking department did about a hit. Late (after the
    check's `feedback_due`, in working days from the check) is flagged, not
    refused: a late answer is better than none. Through the API (a token)
    the officer who handled it is named (`officer_name`); on the staff page
    it is the user."""
    if not may_see_check(actor, check):
        raise NotFoundError("not_found", _("未找到该核查记录，或您无权访问"))
    officer_name = (officer_name or "").strip()
    if isinstance(actor, ApiToken) and not officer_name:
        raise ApplicationError(
            "officer_name_required",
            _("经办人：请填写处理该事项的工作人员姓名"),
            {"officer_name": "required"},
        )
    if len(officer_name) > _OFFICER_NAME_MAX:
        raise ApplicationError(
            "officer_name_too_long",
            _("经办人：最多 %(n)d 个字") % {"n": _OFFICER_NAME_MAX},
            {"officer_name": "too_long"},
        )
    locked = Check.objects.select_for_update().get(pk=check.pk)
    if locked.hit_count == 0:
        raise ApplicationError("no_hit", _("该核查未命中名单，无需反馈"))
    if Feedback.objects.filter(check_run=locked).exists():
        raise ApplicationError("already_given", _("该核查已反馈，不能重复反馈"))
    result = (result or "").strip()
    reason_not_applied = (reason_not_applied or "").strip()
    if not result:
        raise ApplicationError(
            "result_required", _("处理结果：请填写处理结果"), {"result": "required"}
        )
    today = clock.today()
    if decided_on > today:
        raise ApplicationError(
            "decided_in_future", _("处理日期不能晚于今天"), {"decided_on": "future"}
        )
    if decided_on < locked.created_at.astimezone(clock.SHANGHAI).date():
        raise ApplicationError(
            "decided_before_check", _("处理日期不能早于核查日期"), {"decided_on": "before_check"}
        )
    measure = None
    if applied:
        measure_ids = {m["id"] for hit in locked.hits for m in hit["measures"] + hit["rewards"]}
        if measure_id is None:
            raise ApplicationError(
                "measure_required", _("实施的措施：请从备忘录措施中选择"), {"measure": "required"}
            )
        if measure_id not in measure_ids:
            raise ApplicationError(
                "measure_not_applicable",
                _("实施的措施：所选措施不属于本次核查命中的备忘录措施"),
                {"measure": "not_applicable"},
            )
        measure = Measure.objects.filter(pk=measure_id).first()
        if measure is None:
            raise ApplicationError(
                "measure_not_applicable",
                _("实施的措施：该措施已不存在，请重新选择"),
                {"measure": "not_applicable"},
            )
    elif not reason_not_applied:
        raise ApplicationError(
            "reason_required", _("未实施原因：未实施措施的，请说明原因"), {"reason": "required"}
        )
    feedback = Feedback.objects.create(
        check_run=locked,
        applied=applied,
        measure=measure,
        reason_not_applied="" if applied else reason_not_applied,
        result=result,
        decided_on=decided_on,
        officer=actor if isinstance(actor, User) else None,
        token=actor if isinstance(actor, ApiToken) else None,
        officer_name=officer_name,
        created_at=clock.now(),
        is_late=locked.feedback_due is not None and today > locked.feedback_due,
    )
    audit_record(
        actor=actor,
        action=FEEDBACK_SUBMIT,
        obj=feedback,
        after={
            "check": locked.pk,
            "applied": applied,
            "measure": measure_id if applied else None,
            "late": feedback.is_late,
        },
        request=request,
    )
    return feedback
