"""Indicators per department and month against the hand-computed fixture
across 国庆 2025 (conftest.national_day)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.conftest import decided
from xinyong.oversight import scoring
from xinyong.oversight.periods import Month


def test_the_platform_computed_the_fixture_dates_as_the_table_says(national_day):
    """The table's hand-computed deadlines are what the intake stored (the
    indicators count from them)."""
    due = {
        doc[len("神市监罚〔2025〕") : -1]: (r.submit_due, r.is_late, r.publish_due, r.published_on)
        for doc, r in national_day.items()
    }
    d = dt.date
    assert due["2"] == (d(2025, 10, 7), True, d(2025, 10, 16), d(2025, 10, 9))
    assert due["3"] == (d(2025, 10, 12), False, d(2025, 10, 16), d(2025, 10, 9))
    assert due["4"] == (d(2025, 9, 27), True, d(2025, 9, 29), d(2025, 10, 9))
    assert due["5"] == (d(2025, 10, 17), True, d(2025, 10, 20), d(2025, 10, 20))
    assert due["6"] == (d(2025, 10, 16), True, d(2025, 10, 17), d(2025, 10, 20))


def test_october_counts_match_the_hand_computed_fixture(national_day, department):
    (fig,) = scoring.compute_month(Month(2025, 10), department_ids=[department.pk])
    assert (fig.received, fig.late, fig.publications, fig.on_time) == (5, 4, 5, 3)
    assert fig.tally("intake_on_time").rate == 1 / 5
    assert fig.tally("publication_on_time").rate == 3 / 5


def test_pages_read_a_months_figures_once_per_ten_minutes(
    national_day, department, django_assert_max_num_queries
):
    """At 10^6 records a month's figures take seconds (xinyong bench oversight): the
    indicators page and the home share one computation per month, scheme and day."""
    first = scoring.compute_month_cached(Month(2025, 10))
    mine = next(f for f in first if f.department_id == department.pk)
    assert (mine.received, mine.late, mine.publications, mine.on_time) == (5, 4, 5, 3)
    with django_assert_max_num_queries(1):  # the scheme's version, then the cache
        again = scoring.compute_month_cached(Month(2025, 10))
    assert [f.score for f in again] == [f.score for f in first]
    assert scoring.FIGURES_CACHE_SECONDS == 600


def test_september_and_november_count_only_their_own_records(national_day, department):
    (sep,) = scoring.compute_month(Month(2025, 9), department_ids=[department.pk])
    (nov,) = scoring.compute_month(Month(2025, 11), department_ids=[department.pk])
    assert (sep.received, sep.late, sep.publications, sep.on_time) == (1, 0, 1, 1)
    assert (nov.received, nov.late, nov.publications, nov.on_time) == (1, 0, 1, 1)


def test_compliance_counts_rejected_rows_of_the_month(national_day, department, xzcf, submit):
    """A row without its decision date is rejected: 1 of 2 rows compliant in
    that batch; October had 5 rows, all compliant, before it."""
    batch = submit(
        department,
        xzcf,
        [
            decided(8, "2025-10-21"),
            decided(9, "2025-10-21", **{"处罚决定日期": ""}),
        ],
        on="2025-10-22",
    )
    assert (batch.accepted, batch.rejected) == (1, 1)
    (fig,) = scoring.compute_month(Month(2025, 10), department_ids=[department.pk])
    assert fig.tally("publication_compliance") == (6, 7)


def test_cli_prints_one_json_line_per_department(
    national_day, department, other_department, capsys
):
    call_command("oversight", "indicators", "--month", "2025-10", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_code = {line["department"]: line for line in lines}
    assert set(by_code) == {department.short_code, other_department.short_code}
    mine = by_code[department.short_code]
    assert (
        mine["records_received"],
        mine["records_late"],
        mine["publications"],
        mine["publications_on_time"],
    ) == (5, 4, 5, 3)
    assert mine["month"] == "2025-10"
    assert mine["indicators"]["intake_on_time"] == {
        "numerator": 1,
        "denominator": 5,
        "rate": 0.2,
        "points": 3.0,
        "weight": 15.0,
    }
    other = by_code[other_department.short_code]
    # Nothing received or published: only the case quota applies (3 by
    # December, 3 due by October's end, none published): 0 points of 5.
    assert other["records_received"] == 0 and other["publications"] == 0
    assert other["indicators"]["cases_quota"]["denominator"] == 3
    assert other["score"] == 0.0 and other["rank"] == 2


def test_cli_one_department_and_bad_input_in_chinese(national_day, department, capsys):
    call_command("oversight", "indicators", "--month", "2025-10", "--department", "scjg", "--json")
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["department_name"] == "林区市场监督管理局"
    with pytest.raises(CommandError, match="月份格式应为 YYYY-MM"):
        call_command("oversight", "indicators", "--month", "2025-13", "--json")
    with pytest.raises(CommandError, match="没有简码为 nope 的部门"):
        call_command("oversight", "indicators", "--month", "2025-10", "--department", "nope")


def test_withdrawals_on_time_within_three_working_days(national_day, department, clerk, pin_today):
    """Penalty 3, revoked Fri 10-10, withdrawn Tue 10-14: 3 working days later
    (10-11 a make-up working Saturday, 10-13, 10-14) → on time. Penalty 2,
    revoked Thu 10-09, withdrawn Thu 10-16: 6 working days later → late."""
    from xinyong.records.services import record_withdraw

    doc = "神市监罚〔2025〕{}号"
    pin_today(dt.date(2025, 10, 14))
    record_withdraw(
        actor=clerk, record=national_day[doc.format(3)], reason="复议撤销",
        decided_on=dt.date(2025, 10, 10), kind="revoked",
    )  # fmt: skip
    pin_today(dt.date(2025, 10, 16))
    record_withdraw(
        actor=clerk, record=national_day[doc.format(2)], reason="复议撤销",
        decided_on=dt.date(2025, 10, 9), kind="revoked",
    )  # fmt: skip
    (fig,) = scoring.compute_month(Month(2025, 10), department_ids=[department.pk])
    assert fig.tally("withdrawal_on_time") == (1, 2)
