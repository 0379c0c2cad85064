"""A worker that dies while printing: the report is queued again and then issued."""

import pytest
from django.test import TestCase

from support.tasks import run_ready_tasks
from xinyong.reports import services
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db


def test_a_report_left_running_by_a_dead_worker_is_queued_again(company, admin_user):
    report = services.report_request(
        actor=admin_user,
        subject=company,
        kind="general",
        purpose="招投标",
        channel=Report.Channel.COUNTER,
        enqueue=False,
    )
    # As a killed worker leaves it: 生成中, one attempt spent, no lease held.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.report_recover_stalled() == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED and report.task_id
    run_ready_tasks()
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED and report.attempts == 2
