"""考核: a year's scores from the stored monthly figures and the scheme, with
the breakdown page; the scheme revised as versions."""

import datetime as dt

import pytest

from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog
from xinyong.oversight import assessment, scoring
from xinyong.oversight.models import AssessmentScheme, MonthlyFigures
from xinyong.oversight.services.schemes import scheme_revise


def store(department, month: int, values: dict, score=None, year=2025):
    MonthlyFigures.objects.create(
        month=dt.date(year, month, 1),
        department=department,
        values={k: {"numerator": n, "denominator": d} for k, (n, d) in values.items()},
        score=score,
        scheme_version=0,
        computed_at=dt.datetime(year, month, 5, tzinfo=dt.UTC),
    )


@pytest.fixture
def year_2025(department, other_department):
    """Hand-computed (default scheme: intake 15 points, target 100%; case quota 5, cumulative):
    - 市场监管: Jan intake 8/10, quota 0/1; Feb intake 10/10, quota 1/1 → year intake 18/20 = 90%
      → 13.5 of 15; quota (last month) 1/1 → 5 of 5; score 100 × 18.5 / 20 = 92.5.
    - 税务: Jan intake 5/10, quota 0/1 → 7.5 + 0 of 20 → 37.5.
    """
    store(department, 1, {"intake_on_time": (8, 10), "cases_quota": (0, 1)}, score=60.0)
    store(department, 2, {"intake_on_time": (10, 10), "cases_quota": (1, 1)}, score=100.0)
    store(other_department, 1, {"intake_on_time": (5, 10), "cases_quota": (0, 1)}, score=37.5)
    store(other_department, 1, {"intake_on_time": (9, 9)}, year=2024)  # another year


def test_year_scores_add_up_the_months_and_take_running_totals_last(year_2025, department):
    result = assessment.assessment_year(2025)
    assert result.months == [1, 2]
    mine = result.get("scjg")
    assert mine.tallies["intake_on_time"] == (18, 20)
    assert mine.tallies["cases_quota"] == (1, 1)
    assert mine.score == 92.5 and mine.rank == 1
    assert mine.monthly == {1: 60.0, 2: 100.0}
    assert result.get("shuiwu").score == 37.5 and result.get("shuiwu").rank == 2


def test_breakdown_page_for_the_department_and_the_credit_office_only(
    year_2025, client_as, clerk, other_clerk, admin_user
):
    page = client_as(clerk).get("/staff/oversight/assessment/2025/scjg/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "年度得分 92.5，名次 1" in text
    assert "18 / 20" in text and "90.0%" in text and "13.5" in text
    assert "不适用" in text  # indicators with nothing to count carry no weight
    assert client_as(other_clerk).get("/staff/oversight/assessment/2025/scjg/").status_code == 404
    assert client_as(admin_user).get("/staff/oversight/assessment/2025/scjg/").status_code == 200
    ranking = client_as(other_clerk).get("/staff/oversight/assessment/2025/").content.decode()
    assert "林区市场监督管理局" in ranking and "92.5" in ranking


def test_scheme_revisions_are_versions_and_change_the_scores(year_2025, admin_user):
    entries = {code: {"weight": 0, "target": 1.0} for code in scoring.default_scheme().entries}
    entries["intake_on_time"] = {"weight": 100, "target": 0.9}
    first = scheme_revise(
        actor=admin_user,
        name="只考核报送",
        entries=entries,
        praise_at=90,
        criticise_below=50,
        note="试行",
    )
    assert first.version == 1
    # Intake alone, target 90%: 18/20 meets it → 100; 5/10 = 50% → 100 × 0.5/0.9 = 55.6.
    result = assessment.assessment_year(2025)
    assert result.scheme.version == 1
    assert result.get("scjg").score == 100.0
    assert result.get("shuiwu").score == 55.6
    entries["intake_on_time"]["target"] = 1.0
    second = scheme_revise(
        actor=admin_user,
        name="只考核报送",
        entries=entries,
        praise_at=90,
        criticise_below=50,
        note="目标提高到100%",
    )
    assert second.version == 2
    assert AssessmentScheme.objects.get(version=1).entries["intake_on_time"]["target"] == 0.9
    assert AuditLog.objects.filter(action="assessment_scheme.revise").count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"intake_on_time": {"weight": 99, "target": 1}}, "各指标权重之和应为 100 分"),
        ({"intake_on_time": {"weight": 15, "target": 1.5}}, "目标值应大于 0% 且不超过 100%"),
        ({"nonsense": {"weight": 0, "target": 1}}, "未知指标"),
    ],
)
def test_a_bad_scheme_is_refused_in_chinese(db, admin_user, change, message):
    entries = {code: dict(v) for code, v in scoring.default_scheme().entries.items()}
    entries.update(change)
    with pytest.raises(ApplicationError, match=message):
        scheme_revise(
            actor=admin_user, name="x", entries=entries, praise_at=95, criticise_below=60, note="n"
        )
    assert not AssessmentScheme.objects.exists()


def test_only_the_credit_office_revises_the_scheme(db, clerk, client_as):
    from xinyong.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        scheme_revise(
            actor=clerk,
            name="x",
            entries=dict(scoring.default_scheme().entries),
            praise_at=95,
            criticise_below=60,
            note="n",
        )


def test_scheme_page_saves_a_version(db, admin_user, client_as):
    client = client_as(admin_user)
    form = {"name": "2026年方案", "praise_at": 90, "criticise_below": 60, "note": "调整权重"}
    for code, entry in scoring.default_scheme().entries.items():
        form[f"w_{code}"] = entry["weight"]
        form[f"t_{code}"] = 100 * entry["target"]
    form["w_intake_on_time"] = 14  # 99 in all
    page = client.post("/staff/oversight/scheme/", form)
    assert (
        page.status_code == 400 and "各指标权重之和应为 100 分，现为 99 分" in page.content.decode()
    )
    form["w_intake_on_time"] = 15
    assert client.post("/staff/oversight/scheme/", form).status_code == 302
    assert scoring.scheme_current().name == "2026年方案" and scoring.scheme_current().version == 1
