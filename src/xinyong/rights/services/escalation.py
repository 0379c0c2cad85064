"""Overdue objections escalate to the credit office (issue 14 §2, §8): one
notice per objection and step whose deadline has passed, once
(`ObjectionEscalation` is unique per objection, step and deadline). Run by
the periodic task `rights.tasks.escalate_overdue`."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.orgs.notices import notice_send
from xinyong.rights.audit_actions import OBJECTION_ESCALATE
from xinyong.rights.models import Objection, ObjectionEscalation
from xinyong.rights.selectors import countdown, step_of

Step = ObjectionEscalation.Step


def objection_escalate_overdue(today: dt.date | None = None) -> int:
    """Report each newly overdue objection to the credit office; returns how
    many notices were sent. Each escalation is its own transaction."""
    today = today or clock.today()
    sent = 0
    open_ = (
        Objection.objects.exclude(status__in=Objection.FINAL)
        .select_related("department")
        .order_by("pk")
    )
    for objection in open_.iterator(chunk_size=500):
        c = countdown(objection, today)
        step = step_of(objection)
        if not c.overdue or c.due is None or step is None:
            continue
        if ObjectionEscalation.objects.filter(objection=objection, step=step, due=c.due).exists():
            continue
        try:
            with transaction.atomic():
                ObjectionEscalation.objects.create(
                    objection=objection, step=step, due=c.due, escalated_at=clock.now()
                )
                notice_send(
                    department=None,
                    title=_("异议 %(number)s %(step)s逾期 %(n)d 个工作日")
                    % {"number": objection.number, "step": Step(step).label, "n": c.late_by},
                    body=_("提供部门：%(dept)s；%(step)s期限：%(due)s。请督办。")
                    % {
                        "dept": objection.department,
                        "step": Step(step).label,
                        "due": c.due.isoformat(),
                    },
                    link=reverse("rights:objection_detail", args=[objection.pk]),
                )
                audit_record(
                    action=OBJECTION_ESCALATE,
                    obj=objection,
                    after={"step": step, "due": c.due.isoformat(), "late_by": c.late_by},
                )
        except IntegrityError:  # another worker escalated it meanwhile
            continue
        sent += 1
    return sent
