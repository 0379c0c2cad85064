"""The staff home as a work list (oversight's panels) and the 通报 pages."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory
from oversight.conftest import decided
from records.factories import PenaltyRecordFactory
from xinyong.lists.models import ListEntry
from xinyong.oversight.models import MonthlyReport
from xinyong.oversight.periods import Month
from xinyong.oversight.services.reports import report_generate


@pytest.fixture
def clerks_day(department, other_department, xzcf, submit, pin_today):
    """On Thu 2025-10-16 for 市场监管: one record past its publication deadline,
    one due within 2 working days, two submitted late this month, a batch with
    a rejected row, a list entry to notify and one past its objection period;
    and one overdue record of 税务 that the clerk must not see."""
    submit(
        department,
        xzcf,
        [decided(1, "2025-09-20"), decided(2, "2025-10-01", **{"处罚决定日期": "no date"})],
        on="2025-10-14",
    )
    submit(department, xzcf, [decided(3, "2025-10-01")], on="2025-10-15")
    pin_today(dt.date(2025, 10, 16))
    PenaltyRecordFactory(
        department=department, doc_number="神市监罚〔2025〕101号", publish_due=dt.date(2025, 10, 15)
    )
    PenaltyRecordFactory(
        department=department, doc_number="神市监罚〔2025〕102号", publish_due=dt.date(2025, 10, 17)
    )
    PenaltyRecordFactory(
        department=other_department,
        doc_number="神税罚〔2025〕1号",
        publish_due=dt.date(2025, 10, 10),
    )
    ListEntryFactory(decided_by=department, status=ListEntry.Status.PROPOSED)
    ListEntryFactory(
        decided_by=department,
        status=ListEntry.Status.NOTIFIED,
        objection_until=dt.date(2025, 10, 15),
        listed_on=None,
        document_number="",
        valid_until=None,
        published_on=None,
    )


def test_a_clerks_home_is_the_days_work(clerks_day, clerk, client_as):
    text = client_as(clerk).get("/staff/").content.decode()
    assert "今日待办" in text
    assert "1 条记录已超过 7 个工作日公示期限仍未公示" in text
    assert "1 条记录的公示期限将在 2 个工作日内到期" in text
    assert "本月 2 条记录逾期报送" in text
    assert "近 30 天有 1 行被退回" in text and "/staff/ingest/batches/" in text
    assert "名单程序待告知：1 条" in text and "名单程序申辩期满待决定：1 条" in text


def test_the_credit_offices_home_compares_months_and_lists_overdue(
    clerks_day, admin_user, client_as, department, other_department
):
    text = client_as(admin_user).get("/staff/").content.decode()
    assert "全区指标（2025年10月，截至今日）与上月对比" in text
    assert "信息报送及时率" in text and "待报送省平台的消息" in text
    overdue = text[text.index('id="overdue"') :]
    assert department.name in overdue and other_department.name in overdue
    assert "今日待办" not in text


@pytest.fixture
def october(national_day, other_department, pin_today):
    pin_today(dt.date(2025, 11, 7))
    return report_generate(month=Month(2025, 10))


def test_report_pages_publication_and_the_portal(october, clerk, admin_user, client_as, client):
    staff = client_as(clerk)
    page = staff.get("/staff/oversight/reports/2025-10/")
    assert page.status_code == 200 and "各部门得分排名" in page.content.decode()
    assert "'unsafe-inline'" in page["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    pdf = staff.get("/staff/oversight/reports/2025-10.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    home = staff.get("/staff/").content.decode()
    assert "2025年10月社会信用体系建设工作通报" in home
    # Not on the portal until the credit office publishes it; a clerk cannot.
    staff.post("/staff/oversight/reports/2025-10/publish/")
    client.logout()
    assert client.get("/tongbao/2025-10/").status_code == 404
    client_as(admin_user).post("/staff/oversight/reports/2025-10/publish/")
    assert MonthlyReport.objects.get().published_at is not None
    client.logout()
    listing = client.get("/tongbao/").content.decode()
    assert "2025年10月社会信用体系建设工作通报" in listing
    assert client.get("/tongbao/2025-10.pdf").content.startswith(b"%PDF")


def test_the_indicators_page_shows_a_department_its_own_only(
    national_day, clerk, other_clerk, client_as, department
):
    text = client_as(other_clerk).get("/staff/oversight/?month=2025-10").content.decode()
    assert department.name not in text
    text = client_as(clerk).get("/staff/oversight/?month=2025-10").content.decode()
    assert department.name in text and "20.0%" in text and "1/5" in text
    bad = client_as(clerk).get("/staff/oversight/?month=2025-99")
    assert bad.status_code == 400 and "月份格式应为 YYYY-MM" in bad.content.decode()


def test_generate_now_runs_on_the_task_queue(national_day, admin_user, clerk, client_as, pin_today):
    from django.test import TestCase

    from support.tasks import run_ready_tasks

    pin_today(dt.date(2025, 11, 3))  # before the 5th working day: the credit office asks
    staff = client_as(clerk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        refused = staff.post("/staff/oversight/reports/2025-10/generate/", follow=True)
    assert "只有信用办管理员可以执行此操作" in refused.content.decode()
    run_ready_tasks()  # what the intake queued (the public CSV files)
    assert not MonthlyReport.objects.exists()
    admin = client_as(admin_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = admin.post("/staff/oversight/reports/2025-10/generate/", follow=True)
    assert "已开始生成2025年10月的通报" in page.content.decode()
    assert not MonthlyReport.objects.exists()  # the page answered before the work
    assert run_ready_tasks() >= 1
    assert MonthlyReport.objects.get().month == dt.date(2025, 10, 1)


def test_the_home_page_has_a_bounded_number_of_queries(
    clerks_day, clerk, admin_user, client_as, django_assert_max_num_queries
):
    client = client_as(clerk)
    with django_assert_max_num_queries(40):
        assert client.get("/staff/").status_code == 200
    client = client_as(admin_user)
    client.get("/staff/")  # the district figures are cached for ten minutes
    with django_assert_max_num_queries(40):
        assert client.get("/staff/").status_code == 200
