"""The counter's pages for an organisation's report: the form's refusals in Chinese, the
queued report followed to its download, the printed HTML, the staff home panel, and the
public verification page with its statement budget."""

import pytest
from django.test import TestCase

from reports.factories import issue
from support.tasks import run_ready_tasks
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db


def test_clerk_issues_a_special_report_at_the_counter(company, clerk, client_as):
    client = client_as(clerk)
    refused = client.post(
        "/staff/reports/",
        {"code": "91110000600037341L", "kind": "special", "purpose": "招投标", "years": ""},
    )
    assert refused.status_code == 400
    assert "查询年限：专项信用报告的查询期间为 1 至 5 年" in refused.content.decode()
    unknown = client.post(
        "/staff/reports/", {"code": "91350200776049653A", "kind": "general", "purpose": "招投标"}
    )
    assert unknown.status_code == 400 and "未找到该信用主体" in unknown.content.decode()
    assert not Report.objects.exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/staff/reports/",
            {
                "code": "91110000600037341L",
                "kind": "special",
                "purpose": "招投标资格审查",
                "years": "3",
                "areas": "scjg",
            },
        )
    report = Report.objects.get()
    assert response.url == f"/staff/reports/{report.pk}/"
    assert report.requested_by == clerk and report.areas == ["scjg"] and report.years == 3
    run_ready_tasks()
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "已出具" in page and 'http-equiv="refresh"' not in page
    assert report.number in client.get("/staff/reports/").content.decode()
    html = client.get(f"/staff/reports/{report.pk}/file.html")
    assert html.status_code == 200
    body = html.content.decode()
    assert "专项信用报告" in body and "神农架林区某某建材有限公司" in body and "<svg" in body
    assert "unsafe-inline" in html["Content-Security-Policy"]
    assert "信用报告" in client.get("/staff/").content.decode()


def test_verify_page_shows_the_public_facts_in_few_statements(
    company, client, django_assert_max_num_queries
):
    report = issue(company)
    with django_assert_max_num_queries(3):
        response = client.get(f"/reports/verify/{report.number}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert report.number in page and report.content_hash in page
    assert "神农架林区某某建材有限公司" in page and "91110000600037341L" in page
    assert "神市监罚" not in page  # never the content
    keys = client.get("/reports/public-keys.txt")
    assert keys.status_code == 200 and len(keys.content.decode().split()) == 1
