"""Background work of the exchange, on the task queue (`xinyong worker`).

- `deliver` (every minute, and again at once while messages are due): the
  producers' changes into the outbox (`collect`), then a batch of the
  outbox to the province (`delivery.deliver_batch`, under its lease);
- `pull` (hourly): the province's inbound feeds;
- `daily` (hourly, idempotent): yesterday's reconciliation and files, if
  not made yet;
- `build_files(day)`: a day's files on the credit office's request.
"""

import datetime as dt
from dataclasses import asdict

from xinyong.core import clock
from xinyong.core.tasks import enqueue_unless_queued, periodic, task
from xinyong.exchange import client, files
from xinyong.exchange.models import Reconciliation
from xinyong.exchange.services import collect, delivery, inbound, reconcile

# A retry due within this is waited for by a delayed run; later ones by the periodic run.
_SOON = dt.timedelta(seconds=60)


@task()
def deliver() -> dict[str, object]:
    collected = collect.collect_all()
    try:
        result = delivery.deliver_batch()
    except client.NotConfigured as exc:
        return {"collected": collected, "configured": False, "message": str(exc)}
    if not result.busy:
        upcoming = delivery.next_due_at()
        if upcoming is not None:
            wait = upcoming - clock.now()
            if wait <= dt.timedelta(0):
                enqueue_unless_queued(deliver)
            elif wait <= _SOON:
                enqueue_unless_queued(deliver, delay=wait)
    return {"collected": collected, **asdict(result)}


periodic(deliver, every=dt.timedelta(minutes=1))


@task()
def pull() -> list[dict[str, object]]:
    try:
        client.endpoint()
    except client.NotConfigured as exc:
        return [{"configured": False, "message": str(exc)}]
    return [
        {"feed": run.feed, "status": run.status, "received": run.received, "applied": run.applied}
        for run in inbound.inbound_pull_all()
    ]


periodic(pull, every=dt.timedelta(hours=1))


@task()
def daily() -> dict[str, object]:
    """Yesterday's reconciliation (service mode) and files, each once."""
    yesterday = clock.today() - dt.timedelta(days=1)
    done: dict[str, object] = {"day": yesterday.isoformat()}
    if not files.day_built(yesterday):
        done["files"] = [f.name for f in files.build_day(yesterday)]
    try:
        client.endpoint()
    except client.NotConfigured:
        return done
    if not Reconciliation.objects.filter(day=yesterday, error="").exists():
        report = reconcile.reconciliation_build(day=yesterday)
        done["reconciliation"] = {"sent": report.sent, "confirmed": report.confirmed}
    return done


periodic(daily, every=dt.timedelta(hours=1))


@task()
def build_files(day: str) -> list[str]:
    return [f.name for f in files.build_day(dt.date.fromisoformat(day))]
