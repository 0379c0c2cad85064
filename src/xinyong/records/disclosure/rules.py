"""The rule sets: their `rules` JSON, its checks, its parsed form, and which
rule set applies to a decision.

`rules` JSON of a rule set (see `rules_problems` for the checks)::

    {"period_from": "decision" | "publication",
     "category_field": "penalty_category",   # the record data key of 处罚类别
     "amount_field": "fine_amount",          # the data key of the amount (万元)
     "content_field": "penalty_content",     # 处罚内容: decides an ambiguous old category
     "stated_tier_field": "credit_tier",     # 失信程度 as the department states it
     "tiers": [                              # least to most severe
        {"key": "minor", "label": "轻微", "min_months": 0, "max_months": 3,
         "publish": false, "note": "…"}, …],
     "default_tier": "general",              # when no tier rule matches
     "tier_rules": [                         # all conditions of a rule must hold;
        {"tier": "serious", "categories": ["吊销许可证件", …]},  # the most severe
        {"tier": "serious", "categories": ["罚款"], "amount_at_least": 100},  # match wins
        {"tier": "minor", "categories": ["罚款"], "amount_at_most": 0.02,
         "subject_kinds": ["person"], "note": "…"}, …]}

A stated tier (失信程度 轻微/一般/严重 or 简易程序) wins; only without one is
the tier inferred from the categories: a decision may carry several
(`警告;罚款`, `警告、罚款`) and takes the most severe; pre-2021 names
(暂扣或者吊销许可证, 暂扣或者吊销执照) are read as the 2021 names, and where
one old name covers two, 处罚内容 decides and the decision is marked inferred.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xinyong.core.columns import max_length
from xinyong.records.disclosure.categories import CATEGORY_SYNONYMS as CATEGORY_SYNONYMS
from xinyong.records.disclosure.categories import OLD_CATEGORIES as OLD_CATEGORIES
from xinyong.records.disclosure.categories import SIMPLE_PROCEDURE as SIMPLE_PROCEDURE
from xinyong.records.disclosure.categories import Categories as Categories
from xinyong.records.disclosure.categories import current_categories as current_categories
from xinyong.records.disclosure.categories import needs_content as needs_content
from xinyong.records.disclosure.categories import split_categories as split_categories
from xinyong.records.models import DisclosureRuleSet, Record
from xinyong.subjects.models import Subject

PERIOD_FROM = ("decision", "publication")
SUBJECT_KINDS = tuple(Subject.Kind.values)
# A tier's key is stored on each record it decides (`Record.disclosure_tier`).
_TIER_KEY_MAX = max_length(Record, "disclosure_tier")
_TIER_KEYS = {"key", "label", "min_months", "max_months", "publish", "note"}
_RULE_KEYS = {
    "tier",
    "categories",
    "amount_at_least",
    "amount_below",
    "amount_at_most",
    "subject_kinds",
    "note",
}
_RULES_KEYS = {
    "period_from",
    "category_field",
    "amount_field",
    "content_field",
    "stated_tier_field",
    "tiers",
    "default_tier",
    "tier_rules",
    "note",
}


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def rules_problems(data: object) -> list[str]:
    """What is wrong with a rule set's `rules` JSON, in Chinese; [] if nothing."""
    if not isinstance(data, dict):
        return [_("规则应为 JSON 对象")]
    problems: list[str] = []
    for key in sorted(set(data) - _RULES_KEYS):
        problems.append(_("不认识的键“%(key)s”") % {"key": key})
    if data.get("period_from", "decision") not in PERIOD_FROM:
        problems.append(
            _("period_from 只能是 decision（自决定之日起）或 publication（自公示之日起）")
        )
    for key in ("category_field", "amount_field", "content_field", "stated_tier_field"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            problems.append(_("%(key)s 应为字段名") % {"key": key})
    keys = _tier_problems(data.get("tiers"), problems)
    if data.get("default_tier") not in keys:
        problems.append(_("default_tier 应为某个档次的 key"))
    _tier_rule_problems(data.get("tier_rules", []), keys, problems)
    return problems


def _tier_problems(tiers: object, problems: list[str]) -> list[str]:
    """Append what is wrong with `tiers` to `problems`; return the tier keys."""
    keys: list[str] = []
    if not isinstance(tiers, list) or not tiers:
        problems.append(_("tiers 应为非空列表（从轻到重）"))
        return keys
    for n, tier in enumerate(tiers, start=1):
        where = _("第%(n)d个档次") % {"n": n}
        if not isinstance(tier, dict):
            problems.append(_("%(where)s应为 JSON 对象") % {"where": where})
            continue
        for key in sorted(set(tier) - _TIER_KEYS):
            problems.append(_("%(where)s：不认识的键“%(key)s”") % {"where": where, "key": key})
        key = tier.get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > _TIER_KEY_MAX:
            problems.append(
                _("%(where)s：key 应为不超过%(max)d个字符的文本")
                % {"where": where, "max": _TIER_KEY_MAX}
            )
        elif key in keys:
            problems.append(_("%(where)s：key“%(key)s”重复") % {"where": where, "key": key})
        else:
            keys.append(key)
        if not isinstance(tier.get("label"), str) or not tier["label"].strip():
            problems.append(_("%(where)s：缺少中文名称 label") % {"where": where})
        low, high = tier.get("min_months", 0), tier.get("max_months")
        for name, value in (("min_months", low), ("max_months", high)):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1200:
                problems.append(
                    _("%(where)s：%(name)s 应为 0 到 1200 之间的整数（月）")
                    % {"where": where, "name": name}
                )
        if isinstance(low, int) and isinstance(high, int) and low > high:
            problems.append(_("%(where)s：最短公示期长于最长公示期") % {"where": where})
        if not isinstance(tier.get("publish", True), bool):
            problems.append(_("%(where)s：publish 应为 true 或 false") % {"where": where})
    return keys


def _tier_rule_problems(rules: object, keys: list[str], problems: list[str]) -> None:
    """Append what is wrong with `tier_rules` to `problems`."""
    if not isinstance(rules, list):
        problems.append(_("tier_rules 应为列表"))
        return
    for n, rule in enumerate(rules, start=1):
        where = _("第%(n)d条定档规则") % {"n": n}
        if not isinstance(rule, dict):
            problems.append(_("%(where)s应为 JSON 对象") % {"where": where})
            continue
        for key in sorted(set(rule) - _RULE_KEYS):
            problems.append(_("%(where)s：不认识的键“%(key)s”") % {"where": where, "key": key})
        if rule.get("tier") not in keys:
            problems.append(_("%(where)s：tier 应为某个档次的 key") % {"where": where})
        categories = rule.get("categories")
        if categories is not None and (
            not isinstance(categories, list)
            or not categories
            or not all(isinstance(c, str) and c.strip() for c in categories)
        ):
            problems.append(_("%(where)s：categories 应为处罚类别的非空列表") % {"where": where})
        for name in ("amount_at_least", "amount_below", "amount_at_most"):
            if name in rule and _number(rule[name]) is None:
                problems.append(
                    _("%(where)s：%(name)s 应为不小于 0 的数（万元）")
                    % {"where": where, "name": name}
                )
        kinds = rule.get("subject_kinds")
        if kinds is not None and (
            not isinstance(kinds, list) or not kinds or not set(kinds) <= set(SUBJECT_KINDS)
        ):
            problems.append(
                _("%(where)s：subject_kinds 只能取 %(kinds)s")
                % {"where": where, "kinds": "、".join(SUBJECT_KINDS)}
            )
        if not (set(rule) & (_RULE_KEYS - {"tier", "note"})):
            problems.append(_("%(where)s：至少要有一个条件") % {"where": where})


@dataclass(frozen=True, slots=True)
class TierDecision:
    """A penalty's tier and how it was found: stated by the deciding
    department (失信程度) or inferred by the rules (`inferred`); `note` says
    why in Chinese for the staff pages."""

    tier: str
    inferred: bool
    note: str


@dataclass(frozen=True, slots=True)
class Tier:
    key: str
    label: str
    min_months: int
    max_months: int
    publish: bool


@dataclass(frozen=True, slots=True)
class TierRule:
    tier: str
    categories: tuple[str, ...] | None
    amount_at_least: Decimal | None
    amount_below: Decimal | None
    amount_at_most: Decimal | None
    subject_kinds: tuple[str, ...] | None

    def matches(self, category: str, amount: Decimal | None, subject_kind: str | None) -> bool:
        if self.categories is not None and category not in self.categories:
            return False
        if self.subject_kinds is not None and subject_kind not in self.subject_kinds:
            return False
        bounds = (self.amount_at_least, self.amount_below, self.amount_at_most)
        if any(b is not None for b in bounds):
            if amount is None:
                return False
            if self.amount_at_least is not None and not amount >= self.amount_at_least:
                return False
            if self.amount_below is not None and not amount < self.amount_below:
                return False
            if self.amount_at_most is not None and not amount <= self.amount_at_most:
                return False
        return True


@dataclass(frozen=True)
class Rules:
    """A rule set's `rules` JSON, parsed (after `rules_problems` found nothing)."""

    period_from: str
    category_field: str
    amount_field: str
    tiers: tuple[Tier, ...]  # least to most severe
    default_tier: str
    tier_rules: tuple[TierRule, ...]
    # 处罚内容 (decides an ambiguous pre-2021 category) and 失信程度 (the tier
    # the deciding department states).
    content_field: str = "penalty_content"
    stated_tier_field: str = "credit_tier"
    _by_key: dict[str, Tier] = field(repr=False, default_factory=dict)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Rules:
        problems = rules_problems(data)
        if problems:
            raise ValueError("；".join(problems))
        tiers = tuple(
            Tier(
                key=t["key"],
                label=t["label"],
                min_months=int(t.get("min_months", 0)),
                max_months=int(t["max_months"]),
                publish=bool(t.get("publish", True)),
            )
            for t in data["tiers"]
        )
        return cls(
            period_from=data.get("period_from", "decision"),
            category_field=data.get("category_field", "penalty_category"),
            amount_field=data.get("amount_field", "fine_amount"),
            content_field=data.get("content_field", "penalty_content"),
            stated_tier_field=data.get("stated_tier_field", "credit_tier"),
            tiers=tiers,
            default_tier=data["default_tier"],
            tier_rules=tuple(
                TierRule(
                    tier=r["tier"],
                    categories=tuple(r["categories"]) if r.get("categories") is not None else None,
                    amount_at_least=_number(r["amount_at_least"])
                    if "amount_at_least" in r
                    else None,
                    amount_below=_number(r["amount_below"]) if "amount_below" in r else None,
                    amount_at_most=_number(r["amount_at_most"]) if "amount_at_most" in r else None,
                    subject_kinds=tuple(r["subject_kinds"])
                    if r.get("subject_kinds") is not None
                    else None,
                )
                for r in data.get("tier_rules", [])
            ),
            _by_key={t.key: t for t in tiers},
        )

    def tier(self, key: str) -> Tier:
        return self._by_key[key]

    def tier_for(
        self,
        *,
        category: str,
        amount: Decimal | str | None,
        subject_kind: str | None,
        content: str = "",
        stated: str = "",
    ) -> str:
        """The tier of one penalty (see `decide`)."""
        return self.decide(
            category=category,
            amount=amount,
            subject_kind=subject_kind,
            content=content,
            stated=stated,
        ).tier

    def stated_tier(self, stated: str) -> str | None:
        """The tier a department states (失信程度): a tier's label (轻微, 一般,
        严重), or 简易程序 — the 轻微 tier where the set has one, else its
        least severe published tier. None when the set has no such tier."""
        stated = stated.strip()
        if not stated:
            return None
        for tier in self.tiers:
            if tier.label == stated:
                return tier.key
        if stated == SIMPLE_PROCEDURE:
            for tier in self.tiers:
                if tier.label == "轻微":
                    return tier.key
            for tier in self.tiers:
                if tier.publish:
                    return tier.key
        return None

    def decide(
        self,
        *,
        category: str,
        amount: Decimal | str | None,
        subject_kind: str | None,
        content: str = "",
        stated: str = "",
    ) -> TierDecision:
        """The tier of one penalty: the tier the department stated, if this set
        knows it; else inferred: for each of the decision's categories (old
        names in the 2021 names) the most severe tier with a matching rule,
        and of those the most severe."""
        stated_key = self.stated_tier(stated or "")
        if stated_key is not None:
            return TierDecision(
                stated_key, False, _("失信程度由决定机关认定：%(v)s") % {"v": stated.strip()}
            )
        if isinstance(amount, str):
            amount = _number(amount) if amount.strip() else None
        categories = current_categories(category or "", content or "")
        order = {tier.key: n for n, tier in enumerate(self.tiers)}
        best = ""
        for name in categories.names or ("",):
            found = self.default_tier
            for tier in reversed(self.tiers):
                if any(
                    rule.tier == tier.key and rule.matches(name, amount, subject_kind)
                    for rule in self.tier_rules
                ):
                    found = tier.key
                    break
            if not best or order[found] > order[best]:
                best = found
        note = _("失信程度由平台按处罚类别推定")
        if categories.inferred:
            note = _("失信程度由平台推定；修订前的处罚类别按处罚内容归入：%(v)s") % {
                "v": "、".join(categories.names)
            }
        return TierDecision(best, True, note)


# -- which rule set applies -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadedRuleSet:
    """A usable rule set as `RuleBook` holds it: the row, its code (read per
    record), its `rules` parsed, and the ids of the items and departments it
    is attached to."""

    row: DisclosureRuleSet
    code: str
    parsed: Rules
    item_ids: frozenset[int]
    department_ids: frozenset[int]


@dataclass
class RuleBook:
    """All rule sets, loaded once per fill or daily run."""

    sets: list[LoadedRuleSet]

    @classmethod
    def load(cls) -> RuleBook:
        sets = list(
            DisclosureRuleSet.objects.prefetch_related("items", "departments").order_by(
                "effective_from", "code"
            )
        )
        usable = []
        for rule_set in sets:
            try:
                parsed = Rules.parse(rule_set.rules)
            except ValueError:
                # The admin refuses bad JSON; a set broken in the database is
                # skipped rather than stopping every import.
                continue
            usable.append(
                LoadedRuleSet(
                    row=rule_set,
                    code=rule_set.code,
                    parsed=parsed,
                    item_ids=frozenset(item.pk for item in rule_set.items.all()),
                    department_ids=frozenset(d.pk for d in rule_set.departments.all()),
                )
            )
        return cls(usable)

    def governs(self, item_id: int) -> bool:
        """Whether any rule set is attached to the item (else: public while valid)."""
        return any(item_id in s.item_ids for s in self.sets)

    def pick(self, item_id: int, department_id: int, decided: dt.date) -> LoadedRuleSet | None:
        """The rule set for one decision: a sector set attached to the
        department first, else a general set; the newest window wins."""
        best = None
        for rule_set in self.sets:  # oldest window first: a later one overrides
            row = rule_set.row
            if item_id not in rule_set.item_ids or not row.covers(decided):
                continue
            if row.scope == "sector" and department_id not in rule_set.department_ids:
                continue
            if best is None or row.scope == "sector" or best.row.scope != "sector":
                best = rule_set
        return best

    def publication_tiers(self) -> list[tuple[str, Tier]]:
        """(rule code, tier) of the sets whose periods run from publication."""
        return [
            (s.code, tier)
            for s in self.sets
            if s.parsed.period_from == "publication"
            for tier in s.parsed.tiers
        ]
