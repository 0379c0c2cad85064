"""Background jobs of the records app.

`run_daily` is a plain function: `xinyong daily` calls it for any day, and
the periodic task `daily` calls it for today, in a worker at its start and
every hour (`core.tasks.periodic`). It is idempotent, and cheap when nothing
is due, so the hourly run costs little and a missed night is caught up.
"""

import datetime as dt
from dataclasses import asdict

from django.db import transaction

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.tasks import periodic, task
from xinyong.records import disclosure
from xinyong.records.audit_actions import DISCLOSURE_DAILY


@transaction.atomic
def run_daily(day: dt.date) -> disclosure.StepCounts:
    """Apply what falls due on `day`, idempotently.

    1. compute the windows that are missing (records written without
       `record_disclosure_fill`, corrections, data from before the feature);
    2. end what expired: `disclosure_end < day` → out of the public view,
       `unpublished_on = disclosure_end + 1`, reason `expired`
       (令第36号: "最长公示期届满后，相关信息自动停止公示");
    3. publish what waits: records of public items, decided, inside their
       window, not yet public → `published_on = day` (and whether that kept
       the 7-working-day deadline of 发改办财金〔2018〕424号).

    Every step selects by state and date, so a second run the same day
    changes nothing, and a run after missed days catches up on all of them.
    Writes one audit row with the counts (not one per record).
    """
    counts = disclosure.StepCounts()
    disclosure.fill_uncomputed(day, counts)
    disclosure.expire(day, counts=counts)
    disclosure.publish(day, counts=counts)
    audit_record(
        action=DISCLOSURE_DAILY,
        object_id=day.isoformat(),
        object_label=day.isoformat(),
        after={"date": day.isoformat(), **asdict(counts)},
    )
    return counts


@task()
def daily() -> dict[str, int]:
    """The daily disclosure job for today, as a task; returns its counts."""
    return asdict(run_daily(clock.today()))


periodic(daily, every=dt.timedelta(hours=1))
