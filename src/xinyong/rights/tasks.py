"""Background work of `rights`: the escalation of overdue objections to the
credit office (hourly; a notice once per objection and step)."""

import datetime as dt

from xinyong.core.tasks import periodic, task
from xinyong.rights.services.escalation import objection_escalate_overdue


@task()
def escalate_overdue() -> int:
    return objection_escalate_overdue()


periodic(escalate_overdue, every=dt.timedelta(hours=1))
