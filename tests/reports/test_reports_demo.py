"""The demo issues one report at the counter, signed, with its public verification page;
it registers three agencies and files some of their reports."""

import pytest
from django.core.management import call_command

from xinyong.reports.models import Agency, AgencyReport, Report
from xinyong.reports.signing import verify_file
from xinyong.reports.storage import read_pdf

pytestmark = pytest.mark.django_db


def test_demo_has_one_issued_report_and_an_agency(client):
    call_command("demo", verbosity=0)
    report = Report.objects.get()
    assert report.status == Report.Status.ISSUED and report.channel == Report.Channel.COUNTER
    assert verify_file(read_pdf(report.number)).valid
    assert client.get(f"/reports/verify/{report.number}/").status_code == 200
    assert Agency.objects.filter(status=Agency.Status.FILED).count() == 2
    assert Agency.objects.filter(status=Agency.Status.SUSPENDED).count() == 1
    statuses = sorted(AgencyReport.objects.values_list("status", flat=True))
    assert statuses.count("filed") >= 2
    assert statuses.count("submitted") == 1 and statuses.count("returned") == 1
    assert client.get("/agencies/").status_code == 200
    call_command("demo", verbosity=0)  # idempotent
    assert Report.objects.count() == 1
    assert AgencyReport.objects.count() == len(statuses)
