"""Reads of `rights`: an application by its number and secret (the public
status page), and the staff queue (department scope, working-day countdowns)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.core.workdays import workdays_between
from xinyong.orgs.models import User
from xinyong.rights.models import Objection
from xinyong.rights.services.objection import ensure_objection_access, secret_matches


def objection_by_secret(*, number: str, secret: str) -> Objection:
    """The objection whose number and secret match; 404 for either wrong
    (the secret compared in constant time on its digest)."""
    objection = Objection.objects.filter(number=number[:32]).first()
    # An unknown number costs the same comparison as a wrong secret.
    probe = objection or Objection(secret_digest="0" * 64)
    if not secret_matches(probe, secret) or objection is None:
        raise NotFoundError("not_found", _("未找到该申请，请核对受理编号和查询密码"))
    return objection


def objection_queue(*, user: User, status: str = "", overdue: bool = False) -> QuerySet[Objection]:
    """Objections the user may see: the credit office all, a department its own."""
    qs = Objection.objects.select_related("record", "department")
    if not user.is_credit_office:
        qs = qs.filter(department=user.department)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        ids = [o.pk for o in qs if countdown(o).overdue]
        qs = qs.filter(pk__in=ids)
    return qs


def objection_for_staff(*, user: User, pk: int) -> Objection:
    objection = Objection.objects.select_related("record", "department").filter(pk=pk).first()
    if objection is None:
        raise NotFoundError("not_found", _("未找到该异议申请，或您无权访问"))
    ensure_objection_access(user, objection)
    return objection


@dataclass(frozen=True, slots=True)
class Countdown:
    """The step's deadline and the working days left (negative: overdue)."""

    label: str
    due: dt.date | None
    left: int | None

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left < 0

    @property
    def late_by(self) -> int:
        return -self.left if self.left is not None and self.left < 0 else 0


def step_of(objection: Objection) -> str | None:
    """The step an open objection waits on (`ObjectionEscalation.Step`), None when ended."""
    S = Objection.Status
    if objection.status in (S.FILED, S.NEEDS_MORE):
        return "accept"
    if objection.status == S.VERIFYING:
        return "verify"
    if objection.status in (S.ACCEPTED, S.CORRECTED, S.UPHELD, S.REVOKED):
        return "reply"
    return None


def countdown(objection: Objection, today: dt.date | None = None) -> Countdown:
    today = today or clock.today()
    status = objection.status
    S = Objection.Status
    due: dt.date | None
    if status in (S.FILED, S.NEEDS_MORE):
        label, due = _("受理"), objection.accept_due
    elif status == S.VERIFYING:
        label, due = _("核查"), objection.verify_due
    elif status in (S.ACCEPTED, S.CORRECTED, S.UPHELD, S.REVOKED):
        label, due = _("答复"), objection.reply_due
    else:
        return Countdown(label=_("已结束"), due=None, left=None)
    return Countdown(label=label, due=due, left=workdays_between(today, due) if due else None)


@dataclass(frozen=True, slots=True)
class Alerts:
    """What waits on the user, for the staff home: objections at the user's
    step (the credit office: to accept or reply; a department: to verify)
    and how many of them are past their deadline."""

    waiting: int
    overdue: int


def objection_alerts(user: User) -> Alerts:
    S = Objection.Status
    if user.is_credit_office:
        steps = [S.FILED, S.NEEDS_MORE, S.ACCEPTED, S.CORRECTED, S.UPHELD, S.REVOKED]
    else:
        steps = [S.VERIFYING]
    open_ = list(objection_queue(user=user).filter(status__in=steps)[:500])
    today = clock.today()
    return Alerts(waiting=len(open_), overdue=sum(countdown(o, today).overdue for o in open_))
