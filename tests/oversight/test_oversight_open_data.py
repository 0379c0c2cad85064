"""政务公开 · 月度数据 (/shuju/): only the months the credit office published,
district totals that add up the departments, the CSV, the staff button."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from xinyong.core import clock
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.models import AuditLog
from xinyong.oversight.models import FiguresRelease, MonthlyFigures
from xinyong.oversight.periods import Month
from xinyong.oversight.services.figures import figures_publish


def _v(n: int, d: int) -> dict[str, int]:
    return {"numerator": n, "denominator": d}


# The hand-computed fixture, two departments:
#
# | month   | department | intake_on_time | publication_on_time | wrong_code_rate |
# |---------|------------|----------------|---------------------|-----------------|
# | 2025-10 | 市场监管   | 8 of 10        | 9 of 10             | 1 of 50         |
# | 2025-10 | 交通运输   | 3 of 6         | 4 of 5              | —               |
# | 2025-09 | 市场监管   | 5 of 5         | 5 of 5              | 0 of 40         |
# | 2025-09 | 交通运输   | 1 of 2         | 2 of 2              | —               |
# | 2025-08 | both       | 7 of 7 (secret month: never published)     |
#
# District October: received 16, late 5 (2 + 3), 双公示 15, on time 13 (86.7%);
# 报送及时率 11/16 = 68.8%; 错码率 1/50 = 2.0%.
# District September: received 7, late 1, 双公示 7, on time 7.
FIXTURE = {
    Month(2025, 10): {
        "dept": {
            "intake_on_time": _v(8, 10),
            "publication_on_time": _v(9, 10),
            "wrong_code_rate": _v(1, 50),
        },
        "other": {"intake_on_time": _v(3, 6), "publication_on_time": _v(4, 5)},
    },
    Month(2025, 9): {
        "dept": {
            "intake_on_time": _v(5, 5),
            "publication_on_time": _v(5, 5),
            "wrong_code_rate": _v(0, 40),
        },
        "other": {"intake_on_time": _v(1, 2), "publication_on_time": _v(2, 2)},
    },
    Month(2025, 8): {
        "dept": {"intake_on_time": _v(7, 7), "publication_on_time": _v(7, 7)},
        "other": {"intake_on_time": _v(7, 7), "publication_on_time": _v(7, 7)},
    },
}


@pytest.fixture
def stored(db, department, other_department, pin_today):
    pin_today(dt.date(2025, 11, 10))
    departments = {"dept": department, "other": other_department}
    for month, per in FIXTURE.items():
        for key, values in per.items():
            MonthlyFigures.objects.create(
                month=month.start,
                department=departments[key],
                values=values,
                score=50.0,
                scheme_version=0,
                computed_at=clock.now(),
            )


@pytest.fixture
def published(stored, admin_user):
    figures_publish(actor=admin_user, month=Month(2025, 10), publish=True)
    figures_publish(actor=admin_user, month=Month(2025, 9), publish=True)


def test_nothing_is_public_before_the_credit_office_publishes(stored, client):
    page = client.get("/shuju/")
    assert page.status_code == 200
    assert "暂无公开的月度数据" in page.content.decode()
    assert client.get("/shuju/?month=2025-10").status_code == 200  # the same empty page
    rows = list(csv.reader(io.StringIO(client.get("/shuju/figures.csv").content.decode())))
    assert len(rows) == 1  # the header only


def test_the_district_totals_add_up_the_two_departments(published, client, department):
    body = client.get("/shuju/").content.decode()  # the latest published month
    assert "2025年10月全区合计" in body
    district = body[body.index('id="district"') : body.index('id="district-indicators"')]
    for label, value in [("报送信息（条）", 16), ("逾期报送（条）", 5), ("双公示信息（条）", 15),
                         ("按时公示（条）", 13)]:  # fmt: skip
        assert f'<th scope="row">{label}</th><td>{value}</td>' in district
    indicators = body[body.index('id="district-indicators"') : body.index('id="trend-chart"')]
    assert "68.8%" in indicators  # 11 / 16
    assert "86.7%" in indicators  # 13 / 15
    assert "2.0%" in indicators  # 1 / 50
    table = body[body.index('id="departments"') :]
    assert department.name in table and "80.0%" in table and "50.0%" in table
    assert 'id="trend-chart" src="data:image/svg+xml;base64,' in body
    # The chart is a data: image, which the page's Content-Security-Policy allows.
    csp = client.get("/shuju/")["Content-Security-Policy"]
    assert "data:" in csp.split("img-src")[1].split(";")[0]


def test_a_chosen_month_and_the_secret_month(published, client):
    body = client.get("/shuju/?month=2025-09").content.decode()
    assert "2025年9月全区合计" in body
    assert '<th scope="row">报送信息（条）</th><td>7</td>' in body
    # August was never published: not on the page, not in the month menu, not in the CSV.
    secret = client.get("/shuju/?month=2025-08")
    assert secret.status_code == 404
    assert "尚未公开" in secret.content.decode()
    assert "2025-08" not in body
    assert "2025-08" not in client.get("/shuju/figures.csv").content.decode()
    bad = client.get("/shuju/?month=2025-13")
    assert bad.status_code == 400 and "月份格式" in bad.content.decode()


def test_taking_a_month_down_removes_it_everywhere(published, client, admin_user):
    figures_publish(actor=admin_user, month=Month(2025, 10), publish=False)
    assert client.get("/shuju/?month=2025-10").status_code == 404
    assert "2025年9月全区合计" in client.get("/shuju/").content.decode()
    assert "2025-10" not in client.get("/shuju/figures.csv").content.decode()


def test_the_csv_matches_the_fixture(published, client, department, other_department):
    response = client.get("/shuju/figures.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:6] == ["月份", "部门", "报送信息（条）", "逾期报送（条）", "双公示信息（条）",
                          "按时公示（条）"]  # fmt: skip
    by_key = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("2025-10", "全区合计"),
        *sorted([("2025-10", department.name), ("2025-10", other_department.name)],
                key=lambda k: k[1]),
        ("2025-09", "全区合计"),
        *sorted([("2025-09", department.name), ("2025-09", other_department.name)],
                key=lambda k: k[1]),
    ]  # fmt: skip
    total = by_key[("2025-10", "全区合计")]
    assert [total[h] for h in header[2:6]] == ["16", "5", "15", "13"]
    assert total["信息报送及时率（%）"] == "68.8"
    assert total["错码率（%）"] == "2.0"
    other = by_key[("2025-10", other_department.name)]
    assert other["信息报送及时率（%）"] == "50.0"
    assert other["错码率（%）"] == ""  # nothing to count: empty, not 0


def test_only_the_credit_office_publishes_and_it_is_audited(stored, admin_user, clerk):
    with pytest.raises(PermissionDeniedError):
        figures_publish(actor=clerk, month=Month(2025, 10), publish=True)
    assert not FiguresRelease.objects.exists()
    with pytest.raises(ApplicationError) as empty:
        figures_publish(actor=admin_user, month=Month(2025, 7), publish=True)
    assert "尚无月度指标" in empty.value.message
    release = figures_publish(actor=admin_user, month=Month(2025, 10), publish=True)
    with pytest.raises(ApplicationError, match="已在门户公开"):
        figures_publish(actor=admin_user, month=Month(2025, 10), publish=True)
    row = AuditLog.objects.get(action="monthly_figures.publish")
    assert row.object_id == str(release.pk) and row.after["month"] == "2025-10"
    figures_publish(actor=admin_user, month=Month(2025, 10), publish=False)
    assert AuditLog.objects.filter(action="monthly_figures.unpublish").count() == 1


def test_the_staff_button(stored, client_as, admin_user, clerk, client):
    url = reverse("oversight:report_action", args=["2025-10", "publish-figures"])
    clerk_client = client_as(clerk)
    page = clerk_client.get(reverse("oversight:report_list")).content.decode()
    assert 'id="figures-2025-10"' in page and "公开月度数据</button>" not in page
    refused = clerk_client.post(url)
    assert refused.status_code == 403 and "信用办" in refused.content.decode()
    assert not FiguresRelease.objects.filter(published_at__isnull=False).exists()
    office = client_as(admin_user)
    page = office.get(reverse("oversight:report_list")).content.decode()
    assert "公开月度数据</button>" in page
    assert office.post(url).status_code == 302
    assert FiguresRelease.objects.get(month=dt.date(2025, 10, 1)).published_at is not None
    client.logout()
    assert "2025年10月全区合计" in client.get("/shuju/").content.decode()


def test_links_from_the_portal_and_the_tongbao(published, client):
    assert 'href="/shuju/"' in client.get("/tongbao/").content.decode()
    assert 'href="/shuju/"' in client.get("/").content.decode()


def test_query_count_of_the_public_page(published, client, django_assert_max_num_queries):
    client.get("/shuju/")  # the chart cached
    with django_assert_max_num_queries(4):
        assert client.get("/shuju/?month=2025-09").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/shuju/figures.csv").status_code == 200
