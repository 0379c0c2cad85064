"""Background work of `rights`: the escalation of overdue objections to the
credit office (hourly; a notice once per objection and step), and the
departments' uploads of signed commitments (with the recovery of those whose
worker died)."""

import datetime as dt

from xinyong.core.tasks import periodic, recovery, task
from xinyong.rights.services import commitment_upload
from xinyong.rights.services.escalation import objection_escalate_overdue


@task()
def escalate_overdue() -> int:
    return objection_escalate_overdue()


periodic(escalate_overdue, every=dt.timedelta(hours=1))


@task()
def commitment_upload_task(upload_id: int) -> str:
    """Read a queued file of signed commitments; returns the status it ended in."""
    upload = commitment_upload.commitment_upload_run(upload_id=upload_id)
    return upload.status if upload is not None else "skipped"


recovery(commitment_upload.commitment_upload_recover_stalled)
