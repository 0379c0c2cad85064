"""The daily reconciliation: what we marked sent on a day (Beijing time)
against what the province says it received that day (`GET /receipts`).

Three kinds of difference, each listed by idempotency key:
- unconfirmed: sent here, not in the province's receipts (lost there, or
  received on another day: a later report shows it);
- unexpected: in the receipts, not marked sent here for the day (a push
  whose answer was lost before we stored it: the message is still due, is
  sent again and absorbed by its key; or one sent on another day);
- ack mismatch: both sides have it under different acknowledgement ids.
Rebuilding a day replaces its report (the task runs for yesterday, daily).
"""

import datetime as dt

from django.db import transaction

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.models import OutboxMessage, OutboxStatus
from xinyong.exchange import client
from xinyong.exchange.audit_actions import RECONCILIATION_BUILD
from xinyong.exchange.models import Reconciliation

_LISTED = 1000  # keys kept per kind of difference (the counts are complete)


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=clock.SHANGHAI)
    return start, start + dt.timedelta(days=1)


def sent_on(day: dt.date) -> dict[str, str]:
    """Idempotency key → acknowledgement id of the messages marked sent on `day`."""
    start, end = _bounds(day)
    return dict(
        OutboxMessage.objects.filter(
            status=OutboxStatus.SENT, delivered_at__gte=start, delivered_at__lt=end
        ).values_list("idempotency_key", "ack_id")
    )


@transaction.atomic
def reconciliation_build(*, day: dt.date) -> Reconciliation:
    ours = sent_on(day)
    error = ""
    try:
        theirs = {r["idempotency_key"]: r["ack_id"] for r in client.receipts(day.isoformat())}
    except client.ExchangeError as exc:
        theirs, error = {}, str(exc)
    both = ours.keys() & theirs.keys()
    mismatch = sorted(k for k in both if ours[k] != theirs[k])
    values = {
        "sent": len(ours),
        "confirmed": len(theirs),
        "matched": len(both) - len(mismatch),
        "unconfirmed": sorted(ours.keys() - theirs.keys())[:_LISTED] if not error else [],
        "unexpected": sorted(theirs.keys() - ours.keys())[:_LISTED],
        "ack_mismatch": mismatch[:_LISTED],
        "error": error,
        "created_at": clock.now(),
    }
    report, _created = Reconciliation.objects.update_or_create(day=day, defaults=values)
    audit_record(
        action=RECONCILIATION_BUILD,
        obj=report,
        after={k: v for k, v in values.items() if k in ("sent", "confirmed", "matched", "error")}
        | {
            "unconfirmed": len(report.unconfirmed),
            "unexpected": len(report.unexpected),
            "ack_mismatch": len(report.ack_mismatch),
        },
    )
    return report
