"""Background jobs of the records app.

`run_daily` is a plain function: `xinyong daily` calls it for any day, and
the periodic task `daily` calls it for today, in a worker at its start and
every hour (`core.tasks.periodic`). It is idempotent, and cheap when nothing
is due, so the hourly run costs little and a missed night is caught up.

`build_exports` writes the public CSV files (`records.exports`) after a
change; `refresh_exports` (hourly) builds them once a day and whenever they
are missing or out of date.
"""

import datetime as dt
from dataclasses import asdict

from django.db import transaction

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.tasks import enqueue_unless_queued, periodic, recovery, task
from xinyong.records import disclosure, exports
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
    if counts.published or counts.expired:
        exports.export_request()
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


# How long a build waits for another worker's build to end before it tries again.
BUILD_RETRY = dt.timedelta(seconds=10)


@task()
def build_exports() -> str:
    """Build the public CSV files (`records.exports.export_build`). A change
    made while another worker builds must reach a file too: this run then
    enqueues itself again, a little later, rather than skip."""
    directory = exports.export_build()
    if directory is None:
        enqueue_unless_queued(build_exports, delay=BUILD_RETRY)
        return "busy"
    return directory.name


@task()
def refresh_exports() -> str:
    """Build the public CSV files if they are missing, from an earlier day or
    out of date (a record in them has expired, the catalog changed): the
    daily build, and the safety net of the builds after changes."""
    reason = exports.export_needs_refresh()
    if reason:
        enqueue_unless_queued(build_exports)
    return reason or "fresh"


periodic(refresh_exports, every=dt.timedelta(hours=1))


def recover_exports() -> None:
    """A build that a dead worker left unfinished is run again (its change
    would otherwise wait for the hourly refresh)."""
    from django_tasks_db.models import DBTaskResult

    from xinyong.core.tasks.worker import WorkerDied

    latest = (
        DBTaskResult.objects.filter(task_path=build_exports.module_path)
        .order_by("-enqueued_at")
        .only("status", "exception_class_path")
        .first()
    )
    if (
        latest is not None
        and latest.status == "FAILED"
        and latest.exception_class_path.endswith(WorkerDied.__qualname__)
    ):
        enqueue_unless_queued(build_exports)


recovery(recover_exports)


@task()
def purge() -> dict[str, int]:
    """The purge (遗忘, `records.purge.purge_run`) for today: negative records
    past their retention are deleted, a chunk per transaction; a worker
    killed midway leaves the rest for the next run."""
    from xinyong.records.purge import purge_run

    counts = purge_run(clock.today())
    return {"records": counts.records, "subjects": counts.subjects, "kept": counts.kept}


periodic(purge, every=dt.timedelta(hours=6))
