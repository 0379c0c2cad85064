"""The demo issues one report at the counter, signed, with its public verification page."""

import pytest
from django.core.management import call_command

from xinyong.reports.models import Agency, Report
from xinyong.reports.signing import verify_file
from xinyong.reports.storage import read_pdf

pytestmark = pytest.mark.django_db


def test_demo_has_one_issued_report_and_an_agency(client):
    call_command("demo", verbosity=0)
    report = Report.objects.get()
    assert report.status == Report.Status.ISSUED and report.channel == Report.Channel.COUNTER
    assert verify_file(read_pdf(report.number)).valid
    assert client.get(f"/reports/verify/{report.number}/").status_code == 200
    assert Agency.objects.filter(is_active=True).exists()
    call_command("demo", verbosity=0)  # idempotent
    assert Report.objects.count() == 1
