"""Disclosure windows: when a record must be public, when it went public,
and when its publication ends.

The law, as encoded here (DOMAIN.md §2–3):

- 发改办财金〔2018〕424号: 行政许可 and 行政处罚 go online within 7 working
  days of the decision (the item's `publish_within_workdays`), counted with
  `core.workdays` — the day of the decision is not counted (行政许可法 art.
  82, 行政处罚法 art. 85), so 2025-09-30 → 2025-10-16.
- Penalties stay public for a period set by a *rule set*
  (`DisclosureRuleSet`, data the credit office edits): since 2026-04-01
  《信用修复管理办法》(国家发展改革委令第36号) — 轻微 not published in
  principle (at most 3 months where published), 一般 3 months–1 year,
  严重 1–3 years, counted from the decision; before it 发改办财金〔2019〕527号
  (一般 3 months–1 year, 严重 6 months–3 years); 市场监管总局令第45号 for the
  departments it is attached to (art. 13: 通报批评 or 较低数额罚款 3 months,
  others 3 years, counted from publication; art. 2: 警告 alone is not
  published). The maximum ends publication automatically.
- A licence stays public while it is valid: its end is the licence's
  valid_to (`2099-12-31` = 长期); this is what an item without a rule set gets.

Periods in months start the day after the decision and end on the
corresponding day of the last month, or on that month's last day if it has
none (民法典 art. 201, 202): a decision of 2025-11-30 with 3 months is public
through 2026-02-28.

Nothing here saves a record at a time. Computing windows (for a batch, or
the records `xinyong daily` finds without one) streams the rows in chunks,
decides each in Python with memoised rules and dates (`WindowComputer`, the
one place where the rules are applied) and writes the chunk back in bulk;
the daily publication and expiry are a few set-based UPDATEs chosen by
state and date through partial indexes.

`rules` JSON of a rule set (see `rules_problems` for the checks)::

    {"period_from": "decision" | "publication",
     "category_field": "penalty_category",   # the record data key of 处罚类别
     "amount_field": "fine_amount",          # the data key of the amount (万元)
     "tiers": [                              # least to most severe
        {"key": "minor", "label": "轻微", "min_months": 0, "max_months": 3,
         "publish": false, "note": "…"}, …],
     "default_tier": "general",              # when no tier rule matches
     "tier_rules": [                         # all conditions of a rule must hold;
        {"tier": "serious", "categories": ["吊销许可证件", …]},  # the most severe
        {"tier": "serious", "categories": ["罚款"], "amount_at_least": 100},  # match wins
        {"tier": "minor", "categories": ["罚款"], "amount_at_most": 0.02,
         "subject_kinds": ["person"], "note": "…"}, …]}
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import BooleanField, Case, Min, Value, When
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.workdays import get_calendar

# `Record.disclosure_rule` values that are not rule-set codes.
VALIDITY = "validity"  # public while valid: the end is valid_to
NO_RULE = "none"  # the item has rule sets, but none covers the decision date

PERIOD_FROM = ("decision", "publication")
SUBJECT_KINDS = ("legal", "person", "individual_business")
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
    "tiers",
    "default_tier",
    "tier_rules",
    "note",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months; the month's last day if the
    corresponding day does not exist (民法典 art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- the rules JSON ---------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def rules_problems(data: Any) -> list[str]:
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
    for key in ("category_field", "amount_field"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            problems.append(_("%(key)s 应为字段名") % {"key": key})
    tiers = data.get("tiers")
    keys: list[str] = []
    if not isinstance(tiers, list) or not tiers:
        problems.append(_("tiers 应为非空列表（从轻到重）"))
        tiers = []
    for n, tier in enumerate(tiers, start=1):
        where = _("第%(n)d个档次") % {"n": n}
        if not isinstance(tier, dict):
            problems.append(_("%(where)s应为 JSON 对象") % {"where": where})
            continue
        for key in sorted(set(tier) - _TIER_KEYS):
            problems.append(_("%(where)s：不认识的键“%(key)s”") % {"where": where, "key": key})
        key = tier.get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > 20:
            problems.append(_("%(where)s：key 应为不超过20个字符的文本") % {"where": where})
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
    if data.get("default_tier") not in keys:
        problems.append(_("default_tier 应为某个档次的 key"))
    rules = data.get("tier_rules", [])
    if not isinstance(rules, list):
        problems.append(_("tier_rules 应为列表"))
        rules = []
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
                _("%(where)s：subject_kinds 只能取 legal、person、individual_business")
                % {"where": where}
            )
        if not (set(rule) & (_RULE_KEYS - {"tier", "note"})):
            problems.append(_("%(where)s：至少要有一个条件") % {"where": where})
    return problems


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
    _by_key: dict[str, Tier] = field(repr=False, default_factory=dict)

    @classmethod
    def parse(cls, data: dict) -> Rules:
        problems = rules_problems(data)
        if problems:
            raise ValueError("；".join(problems))
        tiers = tuple(
            Tier(
                t["key"],
                t["label"],
                int(t.get("min_months", 0)),
                int(t["max_months"]),
                bool(t.get("publish", True)),
            )
            for t in data["tiers"]
        )
        return cls(
            period_from=data.get("period_from", "decision"),
            category_field=data.get("category_field", "penalty_category"),
            amount_field=data.get("amount_field", "fine_amount"),
            tiers=tiers,
            default_tier=data["default_tier"],
            tier_rules=tuple(
                TierRule(
                    r["tier"],
                    tuple(r["categories"]) if r.get("categories") is not None else None,
                    _number(r["amount_at_least"]) if "amount_at_least" in r else None,
                    _number(r["amount_below"]) if "amount_below" in r else None,
                    _number(r["amount_at_most"]) if "amount_at_most" in r else None,
                    tuple(r["subject_kinds"]) if r.get("subject_kinds") is not None else None,
                )
                for r in data.get("tier_rules", [])
            ),
            _by_key={t.key: t for t in tiers},
        )

    def tier(self, key: str) -> Tier:
        return self._by_key[key]

    def _severity_order(self) -> list[Tier]:
        return list(reversed(self.tiers))

    def tier_for(
        self, *, category: str, amount: Decimal | str | None, subject_kind: str | None
    ) -> str:
        """The tier of one penalty: the most severe tier with a matching rule."""
        if isinstance(amount, str):
            amount = _number(amount) if amount.strip() else None
        for tier in self._severity_order():
            for rule in self.tier_rules:
                if rule.tier == tier.key and rule.matches(category, amount, subject_kind):
                    return tier.key
        return self.default_tier


# -- which rule set applies -----------------------------------------------------------


@dataclass
class RuleBook:
    """All rule sets, loaded once per fill or daily run."""

    sets: list  # DisclosureRuleSet, each with `.parsed`, `.item_ids`, `.department_ids`

    @classmethod
    def load(cls) -> RuleBook:
        from xinyong.records.models import DisclosureRuleSet

        sets = list(
            DisclosureRuleSet.objects.prefetch_related("items", "departments").order_by(
                "effective_from", "code"
            )
        )
        usable = []
        for rule_set in sets:
            try:
                rule_set.parsed = Rules.parse(rule_set.rules)
            except ValueError:
                # The admin refuses bad JSON; a set broken in the database is
                # skipped rather than stopping every import.
                continue
            rule_set.item_ids = {item.pk for item in rule_set.items.all()}
            rule_set.department_ids = {d.pk for d in rule_set.departments.all()}
            usable.append(rule_set)
        return cls(usable)

    def governs(self, item_id: int) -> bool:
        """Whether any rule set is attached to the item (else: public while valid)."""
        return any(item_id in s.item_ids for s in self.sets)

    def pick(self, item_id: int, department_id: int, decided: dt.date):
        """The rule set for one decision: a sector set attached to the
        department first, else a general set; the newest window wins."""
        best = None
        for rule_set in self.sets:  # oldest window first: a later one overrides
            if item_id not in rule_set.item_ids or not rule_set.covers(decided):
                continue
            if rule_set.scope == "sector" and department_id not in rule_set.department_ids:
                continue
            if best is None or rule_set.scope == "sector" or best.scope != "sector":
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


# -- computing windows: one pass over the rows, bulk-written ---------------------------


@dataclass
class StepCounts:
    computed: int = 0
    published: int = 0
    published_late: int = 0
    expired: int = 0
    lapsed_unpublished: int = 0
    not_disclosed: int = 0
    without_rule: int = 0


# The columns a computation writes, in this order (and `id` last).
WINDOW_COLUMNS = (
    "publish_due",
    "published_on",
    "published_on_time",
    "disclosure_rule",
    "disclosure_tier",
    "disclosure_end",
    "unpublish_reason",
    "unpublished_on",
)
# Record.UnpublishReason values (the model is not imported at module level).
_EXPIRED, _NOT_DISCLOSED = "expired", "not_disclosed"


class WindowComputer:
    """Computes the window of records from their content, as of `day`.

    Everything that decides a window is here, in Python, once: the rule set
    (by item, department and decision date), the tier (from the record's
    category, amount and subject kind), the dates (working days, months),
    and what that means for the record's place in the public view. The
    callers stream rows in and write the results back in bulk.
    """

    def __init__(self, day: dt.date, counts: StepCounts, book: RuleBook | None = None):
        from xinyong.catalog.models import CatalogItem

        self.day = day
        self.counts = counts
        self.book = book or RuleBook.load()
        # Captured once: a computer prepared in one process may then compute
        # in a forked one (intake's reading worker) without the database.
        self.calendar = get_calendar()
        self.public_items = set(
            CatalogItem.objects.filter(disclosure=CatalogItem.Disclosure.PUBLIC).values_list(
                "pk", flat=True
            )
        )
        self._within: dict[int, int | None] = {}
        self._due: dict[tuple[dt.date, int], dt.date] = {}
        self._tiers: dict[tuple, str] = {}
        self._ends: dict[tuple[dt.date, int], dt.date] = {}
        self._picks: dict[tuple, Any] = {}
        self._new: dict[tuple, tuple] = {}
        # The data keys the rule sets read (usually penalty_category, fine_amount).
        keys: set[str] = set()
        for rule_set in self.book.sets:
            keys |= {rule_set.parsed.category_field, rule_set.parsed.amount_field}
        self.data_keys = sorted(keys)

    def select(self, queryset):
        """`queryset` as the tuples `compute` reads (one query, no JSON parsing)."""
        annotations = {f"k{n}": KT(f"data__{key}") for n, key in enumerate(self.data_keys)}
        return queryset.annotate(**annotations).values_list(
            "pk",
            "item_id",
            "department_id",
            "version_id",
            "decision_date",
            "valid_to",
            "status",
            "published_on",
            "published_on_time",
            "unpublish_reason",
            "unpublished_on",
            "subject__kind",
            *annotations,
        )

    def _publish_within(self, version_id: int) -> int | None:
        if version_id not in self._within:
            from xinyong.catalog.models import CatalogItemVersion
            from xinyong.catalog.selectors import version_schema_by_id

            try:
                schema = version_schema_by_id(version_id)
            except CatalogItemVersion.DoesNotExist:
                schema = {}
            self._within[version_id] = schema.get("publish_within_workdays") or None
        return self._within[version_id]

    def prepare(self, version_id: int) -> None:
        """Read now what computing for this version needs from the database."""
        self._publish_within(version_id)

    def compute_new(
        self,
        *,
        item_id: int,
        department_id: int,
        version_id: int,
        decided: dt.date | None,
        valid_to: dt.date | None,
        subject_kind: str,
        data: dict,
    ) -> tuple:
        """The window (the values of `WINDOW_COLUMNS`, dates as ISO text) of a
        record about to be created: active, never published. Needs no
        database once `prepare`d. Memoised by what decides the window (the
        rule set and tier, the decision date; the validity end where no rule
        set applies): an import computes each distinct window once, and
        `counts` count the distinct windows only."""
        rule_set = self._pick(item_id, department_id, decided) if decided else None
        if rule_set is not None:
            rules = rule_set.parsed
            tier = self._tier(
                rule_set, data.get(rules.category_field), data.get(rules.amount_field), subject_kind
            )
            key = (item_id, department_id, version_id, decided, rule_set.code, tier)
        else:
            key = (item_id, department_id, version_id, decided, valid_to)
        window = self._new.get(key)
        if window is None:
            computed = self.compute(
                (
                    None,
                    item_id,
                    department_id,
                    version_id,
                    decided,
                    valid_to,
                    "active",
                    None,
                    None,
                    "",
                    None,
                    subject_kind,
                    *(data.get(k) for k in self.data_keys),
                )
            )[:-1]
            window = tuple(v.isoformat() if isinstance(v, dt.date) else v for v in computed)
            if len(self._new) >= 50_000:
                self._new.clear()
            self._new[key] = window
        return window

    def _publish_due(self, decided: dt.date, within: int) -> dt.date:
        key = (decided, within)
        due = self._due.get(key)
        if due is None:
            due = self._due[key] = self.calendar.add_workdays(decided, within).date
        return due

    def _end(self, start: dt.date, months: int) -> dt.date:
        key = (start, months)
        end = self._ends.get(key)
        if end is None:
            end = self._ends[key] = add_months(start, months)
        return end

    def _pick(self, item_id: int, department_id: int, decided: dt.date):
        key = (item_id, department_id, decided)
        if key not in self._picks:
            self._picks[key] = self.book.pick(item_id, department_id, decided)
        return self._picks[key]

    def _tier(self, rule_set, category, amount, kind) -> str:
        key = (rule_set.code, category, amount, kind)
        tier = self._tiers.get(key)
        if tier is None:
            tier = rule_set.parsed.tier_for(
                category=category or "", amount=amount, subject_kind=kind
            )
            if len(self._tiers) < 100_000:
                self._tiers[key] = tier
        return tier

    def compute(self, row: tuple) -> tuple:
        """One row from `select` → the values of `WINDOW_COLUMNS` and its id."""
        (
            pk,
            item_id,
            department_id,
            version_id,
            decided,
            valid_to,
            status,
            published_on,
            on_time,
            reason,
            unpublished_on,
            kind,
            *values,
        ) = row
        data = dict(zip(self.data_keys, values, strict=True))
        within = self._publish_within(version_id)
        due = self._publish_due(decided, within) if decided and within else None
        rule_set = self._pick(item_id, department_id, decided) if decided else None
        tier: Tier | None = None
        from_publication = False
        if rule_set is not None:
            rules = rule_set.parsed
            tier = rules.tier(
                self._tier(
                    rule_set, data.get(rules.category_field), data.get(rules.amount_field), kind
                )
            )
            rule, tier_key = rule_set.code, tier.key
            from_publication = rules.period_from == "publication"
            # 市场监管总局令第45号 art. 13: "自公示之日起" — known once published.
            start = published_on if from_publication else decided
            end = self._end(start, tier.max_months) if start else None
        elif self.book.governs(item_id):
            rule, tier_key, end = NO_RULE, "", None
            self.counts.without_rule += 1
        else:
            # "A licence stays public while it is valid."
            rule, tier_key, end = VALIDITY, "", valid_to
        self.counts.computed += 1
        if status == "active":
            day = self.day
            if tier is not None and not tier.publish:
                # 令第36号: 轻微 "原则上不予公示"; 总局令第45号 art. 2: 警告 alone.
                if reason != _NOT_DISCLOSED:
                    self.counts.not_disclosed += 1
                    if unpublished_on is None and published_on is not None and not reason:
                        unpublished_on = day
                    reason = _NOT_DISCLOSED
            else:
                if reason in (_NOT_DISCLOSED, _EXPIRED) and (end is None or end >= day):
                    # A correction brought it back inside a published window.
                    reason, unpublished_on = "", None
                if (
                    not reason
                    and published_on is None
                    and item_id in self.public_items
                    and decided is not None
                    and decided <= day
                    and (end is None or end >= day)
                ):
                    published_on = day
                    on_time = None if due is None else day <= due
                    self.counts.published += 1
                    self.counts.published_late += on_time is False
                    if from_publication:
                        end = self._end(day, tier.max_months)
                if not reason and end is not None and end < day:
                    reason = _EXPIRED
                    if published_on is not None:
                        unpublished_on = end + dt.timedelta(days=1)
                        self.counts.expired += 1
                    else:
                        self.counts.lapsed_unpublished += 1
        return (due, published_on, on_time, rule, tier_key, end, reason, unpublished_on, pk)


def _write_windows(values: list[tuple], now: dt.datetime) -> None:
    """Write computed windows back, with `updated_at = now` (the change feed
    reads it): one prepared UPDATE run for every row (SQLite), or COPY into a
    temporary table and one UPDATE … FROM (PostgreSQL)."""
    from django.db import connection

    from xinyong.records.models import Record

    if not values:
        return
    table = connection.ops.quote_name(Record._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS xy_window ("
                "publish_due date, published_on date, published_on_time boolean, "
                "disclosure_rule varchar(30), disclosure_tier varchar(20), "
                "disclosure_end date, unpublish_reason varchar(16), unpublished_on date, "
                "id bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy(
                f"COPY xy_window ({', '.join(WINDOW_COLUMNS)}, id) FROM STDIN"
            ) as copy:
                for row in values:
                    copy.write_row(row)
            assignments = ", ".join(f"{c} = w.{c}" for c in WINDOW_COLUMNS)
            cursor.execute(
                f"UPDATE {table} AS r SET {assignments}, updated_at = %s "
                "FROM xy_window AS w WHERE r.id = w.id",
                [now],
            )
            cursor.execute("TRUNCATE xy_window")
            return
        assignments = ", ".join(f"{c} = %s" for c in WINDOW_COLUMNS)
        stamp = connection.ops.adapt_datetimefield_value(now)
        cursor.executemany(
            f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",
            [(*row[:-1], stamp, row[-1]) for row in values],
        )


def fill_batch(
    batch_id: int, day: dt.date, counts: StepCounts | None = None, *, chunk: int = 5_000
) -> StepCounts:
    """Compute the windows of the records a batch created or corrected and
    place them in (or out of) the public view as of `day`, the submission
    day: a public, decided record inside its window is published at once.
    Streams the batch in chunks of ids (constant memory)."""
    from xinyong.records.models import Record

    counts = counts or StepCounts()
    computer = WindowComputer(day, counts)
    now = clock.now()
    # Records inserted with their window (the intake computes it on insert)
    # are done; corrected ones come back with disclosure_rule = ''.
    batch = Record.objects.filter(source_batch_id=batch_id, disclosure_rule="").order_by()
    # SQL intent: windows of `chunk` consecutive ids, each a bounded range of
    # `record_batch_idx` (source_batch_id, id) — no ORDER BY … LIMIT, whose
    # plan PostgreSQL gets wrong for a batch its statistics do not know yet
    # (it is filled before its transaction commits); empty stretches between
    # corrected old records and the new ones are skipped with MIN(id).
    low = batch.aggregate(low=Min("pk"))["low"]
    while low is not None:
        high = low + chunk
        rows = list(computer.select(batch.filter(pk__gte=low, pk__lt=high)))
        _write_windows([computer.compute(row) for row in rows], now)
        low = batch.filter(pk__gte=high).aggregate(low=Min("pk"))["low"]
    return counts


def fill_uncomputed(
    day: dt.date, counts: StepCounts | None = None, *, chunk: int = 5_000
) -> StepCounts:
    """The catch-up of `xinyong daily`: records written without their window
    (before this feature, by a path that skipped `record_disclosure_fill`, or
    a correction that reset it). Each computed row leaves the set."""
    from xinyong.records.models import Record

    counts = counts or StepCounts()
    computer = WindowComputer(day, counts)
    now = clock.now()
    while True:
        rows = list(computer.select(Record.objects.filter(disclosure_rule="").order_by())[:chunk])
        if not rows:
            return counts
        _write_windows([computer.compute(row) for row in rows], now)


# -- the daily steps: set-based, by state and date --------------------------------------


def _on_time(day: dt.date) -> Case:
    # published_on_time: NULL where the item sets no deadline.
    return Case(
        When(publish_due__isnull=True, then=Value(None)),
        When(publish_due__gte=day, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def publish(day: dt.date, *, counts: StepCounts, book: RuleBook | None = None) -> None:
    """Publish every record that waits on `day`: published_on = day."""
    from xinyong.records.models import Record

    book = book or RuleBook.load()
    now = clock.now()
    waiting = Record.objects.awaiting_publication(day)
    counts.published_late += waiting.filter(publish_due__lt=day).count()
    for code, tier in book.publication_tiers():
        # Periods that run from publication end `max_months` after today.
        counts.published += waiting.filter(disclosure_rule=code, disclosure_tier=tier.key).update(
            published_on=day,
            published_on_time=_on_time(day),
            disclosure_end=add_months(day, tier.max_months),
            updated_at=now,
        )
    counts.published += waiting.update(
        published_on=day, published_on_time=_on_time(day), updated_at=now
    )


def expire(day: dt.date, *, counts: StepCounts) -> None:
    """End what passed its last day: out of the public view from
    disclosure_end + 1, whatever day the job runs (a missed week is dated
    right)."""
    from xinyong.records.models import Record

    now = clock.now()
    lapsed = Record.objects.filter(
        status=Record.Status.ACTIVE, unpublish_reason="", disclosure_end__lt=day
    )
    # Never public (submitted after its window): nothing to remove, no date.
    counts.lapsed_unpublished += lapsed.filter(published_on__isnull=True).update(
        unpublish_reason=_EXPIRED, unpublished_on=None, updated_at=now
    )
    ends = sorted(lapsed.order_by().values_list("disclosure_end", flat=True).distinct())
    for end in ends:
        counts.expired += lapsed.filter(disclosure_end=end).update(
            unpublish_reason=_EXPIRED, unpublished_on=end + dt.timedelta(days=1), updated_at=now
        )


# -- the shipped rule sets ------------------------------------------------------------


def builtin_rule_sets() -> list[dict]:
    """The rule sets of `records/data/disclosure_rules.json`."""
    import json
    from pathlib import Path

    path = Path(__file__).with_name("data") / "disclosure_rules.json"
    return json.loads(path.read_text(encoding="utf-8"))["rule_sets"]


def load_builtin_rule_sets(apps=None) -> int:
    """Create the shipped rule sets that are missing (an existing one is left
    as the credit office edited it). `apps`: the migration's historical
    models. Returns how many were created."""
    from django.apps import apps as live_apps

    registry = apps or live_apps
    RuleSet = registry.get_model("records", "DisclosureRuleSet")
    CatalogItem = registry.get_model("catalog", "CatalogItem")
    created = 0
    for entry in builtin_rule_sets():
        if RuleSet.objects.filter(code=entry["code"]).exists():
            continue
        problems = rules_problems(entry["rules"])
        if problems:  # a broken shipped file is a bug: fail the migration loudly
            raise ValueError(f"{entry['code']}: {problems}")
        rule_set = RuleSet.objects.create(
            code=entry["code"],
            name=entry["name"],
            basis=entry["basis"],
            scope=entry["scope"],
            effective_from=dt.date.fromisoformat(entry["effective_from"])
            if entry.get("effective_from")
            else None,
            effective_to=dt.date.fromisoformat(entry["effective_to"])
            if entry.get("effective_to")
            else None,
            rules=entry["rules"],
            note=entry.get("note", ""),
            updated_at=clock.now(),
        )
        rule_set.items.set(CatalogItem.objects.filter(code__in=entry.get("items", [])))
        created += 1
    return created
