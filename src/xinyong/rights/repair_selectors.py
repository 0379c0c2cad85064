"""Reads of credit repair: an application by its number and secret (the
public status page), the staff queue (the deciding department's, the credit
office's) with working-day countdowns, and the staff home's counts."""

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.core.workdays import workdays_between
from xinyong.orgs.models import User
from xinyong.rights.models import Objection, Repair
from xinyong.rights.selectors import Alerts, Countdown, objection_by_secret
from xinyong.rights.services.objection import secret_matches
from xinyong.rights.services.repair import ensure_repair_access


def repair_by_secret(*, number: str, secret: str) -> Repair:
    """The application whose number and secret match; 404 for either wrong."""
    repair = Repair.objects.filter(number=number[:32]).select_related("record").first()
    probe = repair or Repair(secret_digest="0" * 64)
    # secret_matches reads only the digest: the same comparison for both kinds.
    if not secret_matches(probe, secret) or repair is None:  # type: ignore[arg-type]
        raise NotFoundError("not_found", _("未找到该申请，请核对受理编号和查询密码"))
    return repair


def application_by_secret(*, number: str, secret: str) -> Objection | Repair:
    """An objection (YY…) or a repair application (XF…) by number and secret."""
    if number.strip().upper().startswith("XF"):
        return repair_by_secret(number=number.strip().upper(), secret=secret)
    return objection_by_secret(number=number, secret=secret)


def repair_queue(*, user: User, status: str = "", overdue: bool = False) -> QuerySet[Repair]:
    """Applications the user may see: the credit office all, a department its own."""
    qs = Repair.objects.select_related("record", "department", "rule")
    if not user.is_credit_office:
        qs = qs.filter(department=user.department)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(pk__in=[r.pk for r in qs.filter(status__in=Repair.OPEN) if
                               repair_countdown(r).overdue])  # fmt: skip
    return qs


def repair_for_staff(*, user: User, pk: int) -> Repair:
    repair = (
        Repair.objects.select_related("record", "record__item", "department", "rule", "commitment")
        .filter(pk=pk)
        .first()
    )
    if repair is None:
        raise NotFoundError("not_found", _("未找到该信用修复申请，或您无权访问"))
    ensure_repair_access(user, repair)
    return repair


def repair_countdown(repair: Repair, today: dt.date | None = None) -> Countdown:
    today = today or clock.today()
    due: dt.date | None
    if repair.status == Repair.Status.FILED:
        label, due = _("受理"), repair.accept_due
    elif repair.status == Repair.Status.REVIEWING:
        label, due = _("办结"), repair.decide_due
    else:
        return Countdown(label=_("已结束"), due=None, left=None)
    return Countdown(label=label, due=due, left=workdays_between(today, due) if due else None)


def repair_alerts(user: User) -> Alerts:
    """Open applications waiting on the user (the decider), and how many are
    overdue. The credit office decides those the rule gives it, and sees
    every overdue application (escalated from the departments)."""
    open_ = list(repair_queue(user=user).filter(status__in=Repair.OPEN)[:500])
    today = clock.today()
    overdue = [r for r in open_ if repair_countdown(r, today).overdue]
    if user.is_credit_office:
        mine = [r for r in open_ if r.by_credit_office]
        escalated = [r for r in overdue if not r.by_credit_office]
        return Alerts(
            waiting=len(mine) + len(escalated),
            overdue=sum(r in overdue for r in mine) + len(escalated),
        )
    return Alerts(waiting=len(open_), overdue=len(overdue))
