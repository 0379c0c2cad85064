"""Disclosure windows: due dates, tiers, ends, rule sets, corrections."""

import datetime as dt

import pytest

from records.conftest import licence_row, person_penalty_row
from support.ingest_files import penalty_row
from xinyong.records import disclosure
from xinyong.records.disclosure.rules import Rules
from xinyong.records.disclosure.windows import (
    WINDOW_COLUMNS,
    StepCounts,
    Window,
    WindowComputer,
    add_months,
)
from xinyong.records.models import DisclosureRuleSet, Record

pytestmark = pytest.mark.django_db

D = dt.date


def visible_ids() -> set[int]:
    return set(Record.objects.publicly_visible().values_list("pk", flat=True))


# -- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 9, 30), 12, D(2026, 9, 30)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # no 30 February: the month's last day
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # leap year
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 12, 15), 36, D(2028, 12, 15)),
        (D(2025, 12, 15), 0, D(2025, 12, 15)),
    ],
)
def test_add_months_ends_on_the_corresponding_day_or_the_month_end(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize(
    ("decided", "submitted", "due"),
    [
        # National Day 2025-10-01…08 off, Saturday 2025-10-11 a working day.
        ("2025/09/30", "2025-10-09", D(2025, 10, 16)),
        # Spring Festival 2025: 01-28…02-04 off, Sunday 01-26 and Saturday 02-08 worked.
        ("2025/01/24", "2025-02-12", D(2025, 2, 10)),
        # Spring Festival 2026: 02-15…02-23 off, Saturdays 02-14 and 02-28 worked.
        ("2026/02/13", "2026-03-03", D(2026, 3, 2)),
        # A plain week: Monday + 7 working days = next Wednesday.
        ("2025/06/09", "2025-06-10", D(2025, 6, 18)),
    ],
)
def test_publish_due_is_seven_working_days_after_the_decision(
    xzcf, submit, day, decided, submitted, due
):
    day(submitted)
    (record,) = submit(xzcf, [penalty_row(1, **{"处罚决定日期": decided})])
    assert record.publish_due == due
    # Published on the day of submission; on time if that is not after the due date.
    assert record.published_on == D.fromisoformat(submitted)
    assert record.published_on_time is (record.published_on <= due)


def test_licence_due_date_and_end_is_its_valid_to(xzxk, submit, day):
    day("2025-10-09")
    short, long_term = submit(xzxk, [licence_row(1), licence_row(2, **{"有效期至": "2099/12/31"})])
    assert short.publish_due == D(2025, 10, 16)
    assert short.disclosure_rule == disclosure.VALIDITY
    assert short.disclosure_tier == ""
    # "A licence stays public while it is valid."
    assert short.disclosure_end == D(2030, 9, 29)
    assert long_term.disclosure_end == D(2099, 12, 31)  # 长期
    assert visible_ids() == {short.pk, long_term.pk}


def test_a_licence_already_expired_when_submitted_is_never_published(xzxk, submit, day):
    day("2025-10-09")
    (record,) = submit(
        xzxk, [licence_row(1, **{"有效期自": "2020/01/01", "有效期至": "2025/10/08"})]
    )
    record.refresh_from_db()
    assert record.published_on is None
    assert record.unpublish_reason == Record.UnpublishReason.EXPIRED
    assert record.unpublished_on is None  # never public: nothing to remove
    assert visible_ids() == set()


# -- tiers ------------------------------------------------------------------------------


def _rules(code: str) -> Rules:
    return Rules.parse(DisclosureRuleSet.objects.get(code=code).rules)


def test_tier_through_the_bulk_path(xzcf, submit, day):
    """The bulk path reads category, amount and subject kind in one query."""
    day("2026-04-10")
    rows = [
        penalty_row(1, **{"处罚类别": "警告", "罚款金额（万元）": ""}),
        penalty_row(2, **{"罚款金额（万元）": "0.3"}),
        penalty_row(3, **{"罚款金额（万元）": "0.31"}),
        penalty_row(4, **{"罚款金额（万元）": "100"}),
        penalty_row(5, **{"处罚类别": "吊销许可证件", "罚款金额（万元）": ""}),
        person_penalty_row(6, **{"罚款金额（万元）": "0.02"}),
        person_penalty_row(7, **{"罚款金额（万元）": "0.03", "证件号码": "110105194912310046"}),
    ]
    rows = [dict(r, **{"处罚决定日期": "2026/04/01"}) for r in rows]
    records = submit(xzcf, rows)
    rules = _rules("ndrc-2026")
    for record in records:
        assert record.disclosure_rule == "ndrc-2026"
        expected = rules.tier_for(
            category=record.data["penalty_category"],
            amount=record.data.get("fine_amount"),
            subject_kind=record.subject.kind,
        )
        assert record.disclosure_tier == expected, record.data
    assert [r.disclosure_tier for r in records] == [
        "minor",
        "minor",
        "general",
        "serious",
        "serious",
        "minor",
        "general",
    ]


# -- ends by rule set and tier ----------------------------------------------------------


def test_disclosure_end_by_rule_set_before_and_after_2026_04_01(xzcf, submit, day):
    day("2026-04-10")
    rows = [
        penalty_row(1, **{"处罚决定日期": "2026/03/31"}),  # 一般 under 527号
        penalty_row(2, **{"处罚决定日期": "2026/03/31", "处罚类别": "吊销许可证件"}),
        penalty_row(3, **{"处罚决定日期": "2026/04/01"}),  # 一般 under 令第36号
        penalty_row(4, **{"处罚决定日期": "2026/04/01", "处罚类别": "吊销许可证件"}),
        penalty_row(5, **{"处罚决定日期": "2026/04/01", "处罚类别": "警告"}),
    ]
    old_general, old_serious, new_general, new_serious, new_minor = submit(xzcf, rows)
    assert (old_general.disclosure_rule, old_general.disclosure_tier) == ("ndrc-2019", "general")
    assert old_general.disclosure_end == D(2027, 3, 31)  # at most 1 year
    assert (old_serious.disclosure_rule, old_serious.disclosure_tier) == ("ndrc-2019", "serious")
    assert old_serious.disclosure_end == D(2029, 3, 31)  # at most 3 years
    assert (new_general.disclosure_rule, new_general.disclosure_tier) == ("ndrc-2026", "general")
    assert new_general.disclosure_end == D(2027, 4, 1)
    assert new_serious.disclosure_end == D(2029, 4, 1)
    # 轻微: "原则上不予公示" — computed, kept, never public.
    new_minor.refresh_from_db()
    assert (new_minor.disclosure_rule, new_minor.disclosure_tier) == ("ndrc-2026", "minor")
    assert new_minor.disclosure_end == D(2026, 7, 1)
    assert new_minor.published_on is None
    assert new_minor.unpublish_reason == Record.UnpublishReason.NOT_DISCLOSED
    assert visible_ids() == {old_general.pk, old_serious.pk, new_general.pk, new_serious.pk}


def test_minor_tier_is_published_when_the_credit_office_says_so(xzcf, submit, day):
    rule_set = DisclosureRuleSet.objects.get(code="ndrc-2026")
    rule_set.rules["tiers"][0]["publish"] = True
    rule_set.save()
    day("2026-04-10")
    (record,) = submit(xzcf, [penalty_row(1, **{"处罚决定日期": "2026/04/01", "处罚类别": "警告"})])
    assert record.published_on == D(2026, 4, 10)
    assert record.disclosure_end == D(2026, 7, 1)  # at most 3 months
    assert visible_ids() == {record.pk}


def test_sector_rule_set_applies_to_attached_departments_from_publication(
    xzcf, submit, day, department
):
    DisclosureRuleSet.objects.get(code="samr-45").departments.add(department)
    day("2025-10-09")
    small, revoked, warning = submit(
        xzcf,
        [
            penalty_row(1),  # 罚款 0.5 万元 to a company: 较低数额
            penalty_row(2, **{"处罚类别": "吊销许可证件"}),
            penalty_row(3, **{"处罚类别": "警告"}),
        ],
    )
    warning.refresh_from_db()
    assert (small.disclosure_rule, small.disclosure_tier) == ("samr-45", "short")
    # 总局令第45号 art. 13: 3 months (3 years) "自公示之日起" — published 2025-10-09.
    assert small.published_on == D(2025, 10, 9)
    assert small.disclosure_end == D(2026, 1, 9)
    assert revoked.disclosure_end == D(2028, 10, 9)
    # art. 2: a warning alone is not published.
    assert warning.disclosure_tier == "warning"
    assert warning.unpublish_reason == Record.UnpublishReason.NOT_DISCLOSED
    assert visible_ids() == {small.pk, revoked.pk}


def test_sector_rule_set_not_attached_leaves_the_general_rule(xzcf, other_department, submit, day):
    DisclosureRuleSet.objects.get(code="samr-45").departments.add(other_department)
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])
    assert record.disclosure_rule == "ndrc-2019"


def test_stored_rule_and_tier_survive_a_later_rule_change(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])
    rule_set = DisclosureRuleSet.objects.get(code="ndrc-2019")
    rule_set.rules["tiers"][0]["max_months"] = 6
    rule_set.save()
    from xinyong.records.tasks import run_daily

    run_daily(D(2025, 10, 10))
    record.refresh_from_db()
    assert record.disclosure_end == D(2026, 9, 30)


def test_decision_date_outside_every_rule_set_is_flagged(xzcf, submit, day):
    from xinyong.records.tasks import run_daily

    DisclosureRuleSet.objects.filter(code="ndrc-2019").update(effective_from=D(2025, 10, 1))
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)], fill=False)
    counts = run_daily(D(2025, 10, 9))
    record.refresh_from_db()
    assert record.disclosure_rule == disclosure.NO_RULE
    assert record.disclosure_end is None
    assert counts.without_rule == 1


# -- corrections ---------------------------------------------------------------------


def test_a_correction_recomputes_the_window_and_keeps_the_publication_day(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])
    assert record.disclosure_end == D(2026, 9, 30)
    day("2025-10-10")
    (corrected,) = submit(xzcf, [penalty_row(1, **{"处罚类别": "吊销许可证件"})])
    assert corrected.pk == record.pk and corrected.revision == 2
    assert corrected.disclosure_tier == "serious"
    assert corrected.disclosure_end == D(2028, 9, 30)
    assert corrected.published_on == D(2025, 10, 9)
    assert visible_ids() == {record.pk}


def test_a_correction_to_an_unpublished_tier_takes_it_out_of_view_and_back(xzcf, submit, day):
    day("2026-04-10")
    row = penalty_row(1, **{"处罚决定日期": "2026/04/01"})
    (record,) = submit(xzcf, [row])
    assert visible_ids() == {record.pk}
    day("2026-04-13")
    (corrected,) = submit(xzcf, [dict(row, **{"处罚类别": "警告"})])
    corrected.refresh_from_db()
    assert corrected.unpublish_reason == Record.UnpublishReason.NOT_DISCLOSED
    assert corrected.unpublished_on == D(2026, 4, 13)
    assert visible_ids() == set()
    day("2026-04-14")
    (again,) = submit(xzcf, [dict(row, **{"处罚类别": "吊销许可证件"})])
    again.refresh_from_db()
    assert again.unpublish_reason == ""
    assert again.unpublished_on is None
    assert visible_ids() == {record.pk}


def test_a_correction_without_fill_is_caught_up_by_daily(xzcf, submit, day):
    from xinyong.records.tasks import run_daily

    day("2025-10-09")
    submit(xzcf, [penalty_row(1)])
    day("2025-10-10")
    (corrected,) = submit(xzcf, [penalty_row(1, **{"处罚类别": "吊销许可证件"})], fill=False)
    assert corrected.disclosure_rule == ""  # reset by the correction
    counts = run_daily(D(2025, 10, 10))
    corrected.refresh_from_db()
    assert counts.computed == 1
    assert corrected.disclosure_end == D(2028, 9, 30)


# -- the computer --------------------------------------------------------------------


def test_window_columns_are_the_record_columns_a_computation_writes():
    assert WINDOW_COLUMNS == Window._fields
    for name in WINDOW_COLUMNS:
        assert Record._meta.get_field(name).column == name


def test_a_new_record_window_is_computed_once_per_distinct_window(xzcf, department, day):
    counts = StepCounts()
    computer = WindowComputer(day("2025-10-09"), counts)
    computer.prepare(xzcf.current_version_id)
    new_record = {
        "item_id": xzcf.pk,
        "department_id": department.pk,
        "version_id": xzcf.current_version_id,
        "decided": D(2025, 9, 30),
        "valid_to": None,
        "subject_kind": "legal",
        "data": {"penalty_category": "罚款", "fine_amount": "0.5"},
    }
    params = computer.compute_new(**new_record)
    assert dict(zip(WINDOW_COLUMNS, params, strict=True)) == {
        "publish_due": "2025-10-16",
        "published_on": "2025-10-09",
        "published_on_time": True,
        "disclosure_rule": "ndrc-2019",
        "disclosure_tier": "general",
        "disclosure_end": "2026-09-30",
        "unpublish_reason": "",
        "unpublished_on": None,
    }
    # Same rule set, tier and decision: the memo answers, nothing is counted again.
    other_amount = dict(new_record, data={"penalty_category": "罚款", "fine_amount": "0.6"})
    assert computer.compute_new(**other_amount) == params
    assert (counts.computed, counts.published) == (1, 1)


def test_a_stored_record_is_read_and_computed_by_name(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)], fill=False)
    computer = WindowComputer(D(2025, 10, 10), StepCounts())
    [(pk, state)] = computer.select(Record.objects.filter(pk=record.pk))
    assert pk == record.pk
    assert (state.item_id, state.decided, state.subject_kind) == (xzcf.pk, D(2025, 9, 30), "legal")
    assert (state.status, state.published_on, state.unpublish_reason) == ("active", None, "")
    assert set(state.data) == set(computer.data_keys)
    assert state.data["penalty_category"] == "罚款"
    window = computer.compute(state)
    assert (window.disclosure_rule, window.disclosure_tier) == ("ndrc-2019", "general")
    assert (window.published_on, window.published_on_time) == (D(2025, 10, 10), True)
    assert window.disclosure_end == D(2026, 9, 30)


def test_old_and_several_categories_through_an_import(xzcf, submit, day):
    """Pre-2021 names and several categories are accepted and tiered by the
    2021 names, the most severe category deciding (issue 12 item 9)."""
    day("2026-04-10")
    rows = [
        penalty_row(
            1,
            **{"处罚类别": "暂扣或者吊销执照", "处罚内容": "吊销营业执照", "罚款金额（万元）": ""},
        ),
        penalty_row(
            2,
            **{
                "处罚类别": "暂扣或者吊销许可证",
                "处罚内容": "暂扣许可证1个月",
                "罚款金额（万元）": "",
            },
        ),
        penalty_row(3, **{"处罚类别": "警告;罚款", "罚款金额（万元）": "100"}),
        penalty_row(4, **{"处罚类别": "警告、罚款", "罚款金额（万元）": "0.1"}),
        penalty_row(5, **{"处罚类别": "罚款，责令停产停业", "罚款金额（万元）": "1"}),
    ]
    rows = [dict(r, **{"处罚决定日期": "2026/04/01"}) for r in rows]
    records = submit(xzcf, rows)
    assert [r.disclosure_tier for r in records] == [
        "serious",
        "general",
        "serious",
        "minor",
        "serious",
    ]
    # 严重: published for 3 years from the decision.
    assert records[0].disclosure_end == D(2029, 4, 1)
    assert records[2].data["penalty_category"] == "警告;罚款"  # kept as the department wrote it


def test_a_stated_tier_decides_the_window(xzcf, submit, day):
    """失信程度 stated by the department wins over the category (issue 12 item 9)."""
    day("2026-04-10")
    rows = [
        penalty_row(1, **{"处罚类别": "警告", "罚款金额（万元）": "", "失信程度": "严重"}),
        penalty_row(2, **{"罚款金额（万元）": "200", "失信程度": "一般"}),
        penalty_row(3, **{"罚款金额（万元）": "200"}),  # none stated: inferred 严重
        penalty_row(4, **{"罚款金额（万元）": "5", "失信程度": "简易程序"}),
    ]
    rows = [dict(r, **{"处罚决定日期": "2026/04/01"}) for r in rows]
    records = submit(xzcf, rows)
    assert [r.disclosure_tier for r in records] == ["serious", "general", "serious", "minor"]
    assert records[0].disclosure_end == D(2029, 4, 1)
    assert records[1].disclosure_end == D(2027, 4, 1)


@pytest.mark.parametrize("status", ["撤销", "注销"])
def test_a_revoked_or_cancelled_licence_leaves_publication_on_the_correction(
    xzxk, submit, day, status
):
    day("2025-10-09")
    (record,) = submit(xzxk, [licence_row(1, **{"当前状态": "有效"})])
    assert visible_ids() == {record.pk}
    day("2025-11-03")
    (corrected,) = submit(xzxk, [licence_row(1, **{"当前状态": status})])
    assert corrected.pk == record.pk
    assert corrected.unpublish_reason == Record.UnpublishReason.EXPIRED
    assert corrected.unpublished_on == D(2025, 11, 3)  # the day of the change
    assert corrected.disclosure_end == D(2025, 11, 2)
    assert visible_ids() == set()
    # A later recomputation keeps the day it ended.
    from xinyong.records.tasks import run_daily

    Record.objects.filter(pk=record.pk).update(disclosure_rule="")
    day("2025-11-20")
    run_daily(D(2025, 11, 20))
    corrected.refresh_from_db()
    assert corrected.unpublished_on == D(2025, 11, 3)


def test_a_revoked_licence_stored_without_a_window_is_ended_by_the_daily_job(xzxk, submit, day):
    from xinyong.records.tasks import run_daily

    day("2025-10-09")
    (record,) = submit(xzxk, [licence_row(1)])
    assert visible_ids() == {record.pk}
    day("2025-10-20")
    (corrected,) = submit(xzxk, [licence_row(1, **{"当前状态": "注销"})], fill=False)
    run_daily(D(2025, 10, 20))
    corrected.refresh_from_db()
    assert corrected.unpublished_on == D(2025, 10, 20)
    assert visible_ids() == set()


@pytest.mark.parametrize("status", ["撤销", "注销"])
def test_a_licence_submitted_already_revoked_or_cancelled_is_never_published(
    xzxk, submit, day, status
):
    day("2025-10-09")
    (record,) = submit(xzxk, [licence_row(1, **{"当前状态": status})])
    assert record.published_on is None or record.unpublish_reason
    assert visible_ids() == set()
