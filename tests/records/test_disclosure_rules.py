"""Disclosure rule sets: their rules JSON, its checks, and the tier of a penalty."""

import datetime as dt
from decimal import Decimal

import pytest

from xinyong.records.disclosure.rules import Rules, rules_problems
from xinyong.records.models import DisclosureRuleSet, Record

pytestmark = pytest.mark.django_db

D = dt.date


def _rules(code: str) -> Rules:
    return Rules.parse(DisclosureRuleSet.objects.get(code=code).rules)


# -- tiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "category", "amount", "kind", "tier"),
    [
        ("ndrc-2026", "警告", None, "legal", "minor"),
        ("ndrc-2026", "通报批评", None, "person", "minor"),
        ("ndrc-2026", "罚款", "0.02", "person", "minor"),  # 200 元: simple procedure
        ("ndrc-2026", "罚款", "0.03", "person", "general"),
        ("ndrc-2026", "罚款", "0.3", "legal", "minor"),
        ("ndrc-2026", "罚款", "0.31", "legal", "general"),
        ("ndrc-2026", "罚款", "99.99", "legal", "general"),
        ("ndrc-2026", "罚款", "100", "legal", "serious"),  # threshold in 万元, inclusive
        ("ndrc-2026", "吊销许可证件", None, "legal", "serious"),
        ("ndrc-2026", "责令停产停业", None, "individual_business", "serious"),
        ("ndrc-2026", "限制从业", None, "person", "serious"),
        ("ndrc-2026", "没收违法所得", "1", "legal", "general"),
        ("ndrc-2019", "警告", None, "legal", "general"),  # no 轻微 tier in 2019
        ("ndrc-2019", "罚款", "150", "legal", "serious"),
        ("ndrc-2019", "吊销许可证件", None, "legal", "serious"),
        ("samr-45", "警告", None, "legal", "warning"),
        ("samr-45", "通报批评", None, "legal", "short"),
        ("samr-45", "罚款", "4.99", "legal", "short"),
        ("samr-45", "罚款", "5", "legal", "long"),  # "五万元以下（不含本数）"
        ("samr-45", "罚款", "0.49", "person", "short"),
        ("samr-45", "罚款", "0.5", "person", "long"),
        ("samr-45", "吊销许可证件", None, "legal", "long"),
    ],
)
def test_tier_from_category_amount_and_subject_kind(code, category, amount, kind, tier):
    assert _rules(code).tier_for(category=category, amount=amount, subject_kind=kind) == tier


# -- the rules JSON -------------------------------------------------------------------


def test_shipped_rule_sets_are_valid_and_cite_their_basis():
    sets = {s.code: s for s in DisclosureRuleSet.objects.all()}
    assert set(sets) == {"ndrc-2026", "ndrc-2019", "samr-45"}
    for rule_set in sets.values():
        assert rules_problems(rule_set.rules) == []
        assert rule_set.basis
    assert "令第36号" in sets["ndrc-2026"].basis
    assert "527号" in sets["ndrc-2019"].basis
    assert "第45号" in sets["samr-45"].basis
    assert sets["ndrc-2026"].effective_from == D(2026, 4, 1)
    assert sets["ndrc-2019"].effective_to == D(2026, 3, 31)
    assert sets["samr-45"].scope == DisclosureRuleSet.Scope.SECTOR


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ([], "JSON 对象"),
        ({"tiers": [], "default_tier": "x"}, "tiers"),
        (
            {"tiers": [{"key": "a", "label": "甲", "max_months": 3}], "default_tier": "b"},
            "default_tier",
        ),
        (
            {
                "tiers": [{"key": "a", "label": "甲", "min_months": 6, "max_months": 3}],
                "default_tier": "a",
            },
            "最短公示期",
        ),
        (
            {
                "tiers": [{"key": "a", "label": "甲", "max_months": 3}],
                "default_tier": "a",
                "tier_rules": [{"tier": "a", "amount_at_least": "很多"}],
            },
            "万元",
        ),
        (
            {
                "tiers": [{"key": "a", "label": "甲", "max_months": 3}],
                "default_tier": "a",
                "tier_rules": [{"tier": "a"}],
            },
            "条件",
        ),
        (
            {
                "tiers": [{"key": "a", "label": "甲", "max_months": 3}],
                "default_tier": "a",
                "tier_rules": [{"tier": "a", "subject_kinds": ["robot"]}],
            },
            "subject_kinds",
        ),
        (
            {"tiers": [{"key": "a", "label": "甲", "max_months": 3}], "default_tier": "a", "x": 1},
            "x",
        ),
    ],
)
def test_rules_problems_explain_in_chinese(rules, fragment):
    problems = rules_problems(rules)
    assert problems and any(fragment in p for p in problems), problems


def test_amounts_are_compared_as_decimals_in_python():
    rules = _rules("ndrc-2026")
    assert (
        rules.tier_for(category="罚款", amount=Decimal("100.0"), subject_kind="legal") == "serious"
    )
    assert rules.tier_for(category="罚款", amount="", subject_kind="legal") == "general"


def test_a_tier_key_must_fit_the_record_column_that_stores_it():
    limit = Record._meta.get_field("disclosure_tier").max_length

    def rules(key: str) -> dict:
        return {"tiers": [{"key": key, "label": "甲", "max_months": 3}], "default_tier": key}

    assert rules_problems(rules("k" * limit)) == []
    problems = rules_problems(rules("k" * (limit + 1)))
    assert any(f"key 应为不超过{limit}个字符的文本" in p for p in problems), problems


def test_parsed_rules_name_their_tiers_and_conditions():
    rules = _rules("ndrc-2026")
    assert [t.key for t in rules.tiers] == ["minor", "general", "serious"]
    minor = rules.tier("minor")
    assert (minor.label, minor.max_months, minor.publish) == ("轻微", 3, False)
    assert rules.tier_rules and all(r.tier in {"minor", "serious"} for r in rules.tier_rules)
    with pytest.raises(ValueError, match="default_tier"):
        Rules.parse({"tiers": [{"key": "a", "label": "甲", "max_months": 3}]})


# -- pre-2021 categories, several categories, stated tier (issue 12 item 9) -----------


@pytest.mark.parametrize(
    ("code", "category", "content", "tier"),
    [
        # 行政处罚法 before 2021 art. 8: one old name covers 暂扣 and 吊销; 处罚内容 decides.
        ("ndrc-2026", "暂扣或者吊销许可证", "吊销食品经营许可证", "serious"),
        ("ndrc-2026", "暂扣或者吊销执照", "吊销营业执照", "serious"),
        ("ndrc-2026", "暂扣或者吊销执照", "暂扣营业执照三个月", "general"),
        ("ndrc-2019", "暂扣或者吊销许可证", "吊销许可证", "serious"),
        ("samr-45", "暂扣或者吊销执照", "吊销营业执照", "long"),
    ],
)
def test_pre_2021_categories_are_read_as_the_2021_ones(code, category, content, tier):
    decision = _rules(code).decide(
        category=category, amount=None, subject_kind="legal", content=content
    )
    assert decision.tier == tier
    assert decision.inferred
    assert "修订前的处罚类别" in decision.note


@pytest.mark.parametrize(
    ("category", "amount", "kind", "tier"),
    [
        ("警告;罚款", "100", "legal", "serious"),  # the most severe of the two
        ("警告；罚款", "0.31", "legal", "general"),
        ("警告、罚款", "0.01", "person", "minor"),
        ("罚款，吊销许可证件", "1", "legal", "serious"),
        ("警告,通报批评", None, "legal", "minor"),
        ("没收违法所得、暂扣或者吊销执照", None, "legal", "general"),  # no 吊销 in the content
    ],
)
def test_several_categories_take_the_most_severe_tier(category, amount, kind, tier):
    assert _rules("ndrc-2026").tier_for(category=category, amount=amount, subject_kind=kind) == tier


def test_samr_warning_alone_is_not_published_but_warning_and_fine_is():
    rules = _rules("samr-45")
    assert rules.tier_for(category="警告", amount=None, subject_kind="legal") == "warning"
    assert rules.tier_for(category="警告;罚款", amount="1", subject_kind="legal") == "short"
    assert rules.tier_for(category="警告;罚款", amount="10", subject_kind="legal") == "long"


@pytest.mark.parametrize(
    ("code", "stated", "category", "amount", "tier"),
    [
        ("ndrc-2026", "严重", "警告", None, "serious"),  # the department's statement wins
        ("ndrc-2026", "轻微", "罚款", "50", "minor"),
        ("ndrc-2026", "一般", "吊销许可证件", None, "general"),
        ("ndrc-2026", "简易程序", "罚款", "0.2", "minor"),
        ("ndrc-2019", "简易程序", "罚款", "0.2", "general"),  # no 轻微 tier in 2019
        ("ndrc-2019", "严重", "罚款", "1", "serious"),
        ("samr-45", "简易程序", "罚款", "0.2", "short"),
    ],
)
def test_a_stated_tier_wins_and_is_not_inferred(code, stated, category, amount, tier):
    decision = _rules(code).decide(
        category=category, amount=amount, subject_kind="legal", stated=stated
    )
    assert decision.tier == tier
    assert not decision.inferred
    assert stated in decision.note


def test_without_a_stated_tier_the_tier_is_inferred():
    decision = _rules("ndrc-2026").decide(category="罚款", amount="1", subject_kind="legal")
    assert decision.tier == "general"
    assert decision.inferred
    # A tier the set does not know (samr-45 has no 严重) is not taken: inferred instead.
    samr = _rules("samr-45").decide(
        category="罚款", amount="1", subject_kind="legal", stated="严重"
    )
    assert samr.tier == "short" and samr.inferred


def test_samr_45_is_documented_and_the_ndrc_rules_govern_market_regulation_penalties(
    xzcf, department, tmp_path
):
    """Decision (issue 12 item 9): on this platform the NDRC rule sets govern
    every department's penalties, market regulation included; 总局令第45号
    governs the 国家企业信用信息公示系统 and ships attached to no department,
    with its note saying so and how to attach it."""
    from support.ingest_files import penalty_row, write_csv
    from xinyong.ingest.services import batch_submit_file

    samr = DisclosureRuleSet.objects.get(code="samr-45")
    assert samr.departments.count() == 0
    assert "国家企业信用信息公示系统" in samr.note and "令第36号" in samr.note
    assert "适用部门" in samr.note  # how a deployment that decides otherwise attaches it
    assert department.name == "林区市场监督管理局"
    path = write_csv(tmp_path / "a.csv", [penalty_row(1, **{"处罚决定日期": "2025/09/30"})])
    batch_submit_file(department=department, item=xzcf, path=path)
    record = Record.objects.get(department=department)
    assert record.disclosure_rule == "ndrc-2019"
