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
