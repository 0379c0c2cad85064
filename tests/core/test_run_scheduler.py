"""`xinyong run` keeps the daily disclosure job running without cron."""

import threading

import pytest

from xinyong.core.management.commands.run import _hourly_daily_job
from xinyong.core.models import AuditLog


@pytest.mark.django_db(transaction=True)
def test_background_job_runs_the_daily_job_then_stops_when_told():
    stop = threading.Event()
    stop.set()  # run once, then return instead of waiting an hour
    _hourly_daily_job(stop)
    assert AuditLog.objects.filter(action="disclosure.daily").count() == 1
