"""The demo shows a month's 通报 (on the staff home and the portal) and a year's assessment."""

import pytest
from django.core.management import call_command

from xinyong.orgs.models import User
from xinyong.oversight.campaigns.selectors import campaign_rates
from xinyong.oversight.models import (
    Campaign,
    FiguresRelease,
    MonthlyFigures,
    MonthlyReport,
    Power,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_has_a_published_report_and_an_assessment(client):
    call_command("demo", verbosity=0)
    report = MonthlyReport.objects.get()
    assert report.published_at is not None and bytes(report.pdf).startswith(b"%PDF")
    assert report.summary["ranked"] >= 3
    assert (
        MonthlyFigures.objects.filter(month__lt=report.month).values("month").distinct().count()
        == 5
    )
    assert Power.objects.filter(department__short_code="scjg").count() == 4
    month = f"{report.month:%Y-%m}"
    assert "社会信用体系建设工作通报" in client.get("/tongbao/").content.decode()
    assert client.get(f"/tongbao/{month}/").status_code == 200
    # The six months' figures are public (政务公开 · 月度数据), the latest shown first.
    assert FiguresRelease.objects.filter(published_at__isnull=False).count() == 6
    figures = client.get("/shuju/").content.decode()
    assert f"{report.label}全区合计" in figures and 'id="trend-chart"' in figures
    client.force_login(User.objects.get(username="admin"))
    assert client.get(f"/staff/oversight/assessment/{report.month.year}/").status_code == 200
    home = client.get("/staff/").content.decode()
    assert f"{report.label}社会信用体系建设工作通报" in home
    campaign = Campaign.objects.get()
    rates = campaign_rates(campaign)
    assert rates.targets >= 4 and 0 < rates.exited < rates.rectified < rates.targets
    campaign_page = client.get(f"/staff/oversight/campaigns/{campaign.pk}/")
    assert campaign_page.status_code == 200 and "整改中" in campaign_page.content.decode()
    call_command("demo", verbosity=0)  # idempotent
    assert MonthlyReport.objects.count() == 1
    assert Campaign.objects.get().targets.count() == rates.targets
