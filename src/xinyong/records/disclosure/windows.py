"""Computing a record's window from its content: the one place where the
rules are applied (`WindowComputer`).

Periods in months start the day after the decision and end on the
corresponding day of the last month, or on that month's last day if it has
none (民法典 art. 201, 202): a decision of 2025-11-30 with 3 months is public
through 2026-02-28 (`add_months`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy

from xinyong.catalog.models import CatalogItem, CatalogItemVersion, public_items
from xinyong.catalog.selectors import version_schema_by_id
from xinyong.core.workdays import get_calendar
from xinyong.records.disclosure.rules import LoadedRuleSet, RuleBook, Tier, needs_content
from xinyong.records.models import Record

# `Record.disclosure_rule` values that are not rule-set codes.
VALIDITY = "validity"  # public while valid: the end is valid_to
NO_RULE = "none"  # the item has rule sets, but none covers the decision date

_ACTIVE = Record.Status.ACTIVE.value
_EXPIRED = Record.UnpublishReason.EXPIRED.value
_NOT_DISCLOSED = Record.UnpublishReason.NOT_DISCLOSED.value

# List-like items without a validity end (DOMAIN.md §6). 纳税信用A级: the
# rating of one evaluation year holds until the next year's list is
# published, taken as one year from this list's publication (评定日期). 失信被执行人:
# public until the court removes the entry (a withdrawal); no computed end,
# shown as "至法院移除" (`UNTIL_REMOVED_TEXT`).
UNTIL_NEXT_EVALUATION_ITEMS = frozenset({"NSXYA"})
UNTIL_REMOVED_ITEMS = frozenset({"SXBZX"})
UNTIL_REMOVED_TEXT = gettext_lazy("至法院移除")

# A licence (行政许可) whose 当前状态 says it no longer stands leaves
# publication on the day that status is recorded (the correction's import, or
# the daily job for a record stored without its window): 撤销 and 注销 (行政许可法
# art. 69, 70), and 撤回 and 吊销, which end it as well.
LICENCE_ITEMS = frozenset({"XZXK"})
LICENCE_STATUS_KEY = "status"
ENDED_LICENCE_STATUSES = frozenset({"撤销", "注销", "撤回", "吊销"})

# Bounds of the computer's memos: an import of many distinct windows keeps
# its memory flat (the memo of new windows starts over when full).
_TIER_MEMO_MAX = 100_000
_NEW_WINDOW_MEMO_MAX = 50_000


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months; the month's last day if the
    corresponding day does not exist (民法典 art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class StepCounts:
    computed: int = 0
    published: int = 0
    published_late: int = 0
    expired: int = 0
    lapsed_unpublished: int = 0
    not_disclosed: int = 0
    without_rule: int = 0


class Window(NamedTuple):
    """A record's disclosure window and its place in the public view: what a
    computation writes, one field per `Record` column."""

    publish_due: dt.date | None
    published_on: dt.date | None
    published_on_time: bool | None
    disclosure_rule: str
    disclosure_tier: str
    disclosure_end: dt.date | None
    unpublish_reason: str
    unpublished_on: dt.date | None

    def as_params(self) -> tuple[str | bool | None, ...]:
        """The values in `WINDOW_COLUMNS` order as parameters of an INSERT,
        dates as ISO text (both databases take it, and it pickles cheaply)."""
        return tuple(v.isoformat() if isinstance(v, dt.date) else v for v in self)


# The columns a computation writes, in this order.
WINDOW_COLUMNS: tuple[str, ...] = Window._fields


@dataclass(slots=True)
class RecordState:
    """What decides a record's window: its item, department, version, dates,
    subject kind and the data keys the rule sets read; and, for a record
    already stored, its place in the public view. The defaults describe a
    record about to be created: active, never published."""

    item_id: int
    department_id: int
    version_id: int
    decided: dt.date | None
    valid_to: dt.date | None
    subject_kind: str | None
    data: dict[str, Any]  # the data keys the rule sets read, as the record's JSON holds them
    status: str = _ACTIVE
    published_on: dt.date | None = None
    published_on_time: bool | None = None
    unpublish_reason: str = ""
    unpublished_on: dt.date | None = None


class WindowComputer:
    """Computes the window of records from their content, as of `day`.

    Everything that decides a window is here, in Python, once: the rule set
    (by item, department and decision date), the tier (from the record's
    category, amount and subject kind), the dates (working days, months),
    and what that means for the record's place in the public view. The
    callers stream rows in and write the results back in bulk.
    """

    def __init__(self, day: dt.date, counts: StepCounts, book: RuleBook | None = None) -> None:
        self.day = day
        self.counts = counts
        self.book = book or RuleBook.load()
        # Captured once: a computer prepared in one process may then compute
        # in a forked one (intake's reading worker) without the database.
        self.calendar = get_calendar()
        self.public_items = set(public_items().values_list("pk", flat=True))
        self.licence_items = set(
            CatalogItem.objects.filter(code__in=LICENCE_ITEMS).values_list("pk", flat=True)
        )
        self.yearly_items = set(
            CatalogItem.objects.filter(code__in=UNTIL_NEXT_EVALUATION_ITEMS).values_list(
                "pk", flat=True
            )
        )
        self._within: dict[int, int | None] = {}
        self._due: dict[tuple[dt.date, int], dt.date] = {}
        # (rule set code, category, amount, subject kind, content where it
        # decides, stated tier) -> tier key
        self._tiers: dict[
            tuple[str, str | None, Decimal | str | None, str | None, str, str], str
        ] = {}
        self._ends: dict[tuple[dt.date, int], dt.date] = {}
        self._picks: dict[tuple[int, int, dt.date], LoadedRuleSet | None] = {}
        # What decides a new record's window (see compute_new) -> Window.as_params()
        self._new: dict[tuple[object, ...], tuple[str | bool | None, ...]] = {}
        # The data keys the rule sets read (usually penalty_category, fine_amount).
        keys: set[str] = {LICENCE_STATUS_KEY}
        for rule_set in self.book.sets:
            parsed = rule_set.parsed
            keys |= {
                parsed.category_field,
                parsed.amount_field,
                parsed.content_field,
                parsed.stated_tier_field,
            }
        self.data_keys = sorted(keys)

    def select(self, queryset: QuerySet[Record]) -> Iterator[tuple[int, RecordState]]:
        """The records of `queryset` as (id, state) pairs for `compute`: one
        query, the data keys the rules read extracted by the database."""
        annotations = {f"k{n}": KT(f"data__{key}") for n, key in enumerate(self.data_keys)}
        rows = queryset.annotate(**annotations).values_list(
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
        for (
            pk,
            item_id,
            department_id,
            version_id,
            decided,
            valid_to,
            status,
            published_on,
            published_on_time,
            unpublish_reason,
            unpublished_on,
            subject_kind,
            *values,
        ) in rows:
            yield (
                pk,
                RecordState(
                    item_id=item_id,
                    department_id=department_id,
                    version_id=version_id,
                    decided=decided,
                    valid_to=valid_to,
                    subject_kind=subject_kind,
                    data=dict(zip(self.data_keys, values, strict=True)),
                    status=status,
                    published_on=published_on,
                    published_on_time=published_on_time,
                    unpublish_reason=unpublish_reason,
                    unpublished_on=unpublished_on,
                ),
            )

    def _publish_within(self, version_id: int) -> int | None:
        if version_id not in self._within:
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
        data: dict[str, Any],
    ) -> tuple[str | bool | None, ...]:
        """The window of a record about to be created, as `Window.as_params`
        (the values of `WINDOW_COLUMNS`, dates as ISO text). Needs no
        database once `prepare`d. Memoised by what decides the window (the
        rule set and tier, the decision date; the validity end where no rule
        set applies): an import computes each distinct window once, and
        `counts` count the distinct windows only."""
        rule_set = self._pick(item_id, department_id, decided) if decided else None
        key: tuple[object, ...]
        if rule_set is not None:
            tier = self._tier(rule_set, data, subject_kind)
            key = (item_id, department_id, version_id, decided, rule_set.code, tier)
        else:
            key = (
                item_id,
                department_id,
                version_id,
                decided,
                valid_to,
                data.get(LICENCE_STATUS_KEY) if item_id in self.licence_items else None,
            )
        window = self._new.get(key)
        if window is None:
            state = RecordState(
                item_id=item_id,
                department_id=department_id,
                version_id=version_id,
                decided=decided,
                valid_to=valid_to,
                subject_kind=subject_kind,
                data=data,
            )
            window = self.compute(state).as_params()
            if len(self._new) >= _NEW_WINDOW_MEMO_MAX:
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

    def _pick(self, item_id: int, department_id: int, decided: dt.date) -> LoadedRuleSet | None:
        key = (item_id, department_id, decided)
        if key not in self._picks:
            self._picks[key] = self.book.pick(item_id, department_id, decided)
        return self._picks[key]

    def _tier(self, rule_set: LoadedRuleSet, data: dict[str, Any], kind: str | None) -> str:
        rules = rule_set.parsed
        category = data.get(rules.category_field)
        amount = data.get(rules.amount_field)
        # 处罚内容 is read only where it decides (an ambiguous pre-2021 category):
        # it differs on every row and would defeat the memo.
        content = str(data.get(rules.content_field) or "") if needs_content(category or "") else ""
        stated = str(data.get(rules.stated_tier_field) or "")
        key = (rule_set.code, category, amount, kind, content, stated)
        tier = self._tiers.get(key)
        if tier is None:
            tier = rules.tier_for(
                category=category or "",
                amount=amount,
                subject_kind=kind,
                content=content,
                stated=stated,
            )
            if len(self._tiers) < _TIER_MEMO_MAX:
                self._tiers[key] = tier
        return tier

    def compute(self, record: RecordState) -> Window:
        """The window of one record, and its place in the public view as of `day`."""
        decided = record.decided
        published_on, on_time = record.published_on, record.published_on_time
        reason, unpublished_on = record.unpublish_reason, record.unpublished_on
        within = self._publish_within(record.version_id)
        due = self._publish_due(decided, within) if decided and within else None
        rule_set = self._pick(record.item_id, record.department_id, decided) if decided else None
        tier: Tier | None = None
        from_publication = False
        if rule_set is not None:
            rules = rule_set.parsed
            tier = rules.tier(self._tier(rule_set, record.data, record.subject_kind))
            rule, tier_key = rule_set.code, tier.key
            from_publication = rules.period_from == "publication"
            # 市场监管总局令第45号 art. 13: "自公示之日起" — known once published.
            start = published_on if from_publication else decided
            end = self._end(start, tier.max_months) if start else None
        elif self.book.governs(record.item_id):
            rule, tier_key, end = NO_RULE, "", None
            self.counts.without_rule += 1
        else:
            # "A licence stays public while it is valid."
            rule, tier_key, end = VALIDITY, "", record.valid_to
            if end is None and decided is not None and record.item_id in self.yearly_items:
                # Until the next year's list: one year from this one, the day before.
                end = self._end(decided, 12) - dt.timedelta(days=1)
            if (
                record.item_id in self.licence_items
                and record.data.get(LICENCE_STATUS_KEY) in ENDED_LICENCE_STATUSES
            ):
                # Ended on the day the status was recorded (kept on recomputation).
                ended = (
                    unpublished_on
                    if reason == _EXPIRED and unpublished_on is not None
                    else self.day
                ) - dt.timedelta(days=1)
                end = ended if end is None else min(end, ended)
        self.counts.computed += 1
        if record.status == _ACTIVE:
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
                    and record.item_id in self.public_items
                    and decided is not None
                    and decided <= day
                    and (end is None or end >= day)
                ):
                    published_on = day
                    on_time = None if due is None else day <= due
                    self.counts.published += 1
                    self.counts.published_late += on_time is False
                    if from_publication and tier is not None:
                        end = self._end(day, tier.max_months)
                if not reason and end is not None and end < day:
                    reason = _EXPIRED
                    if published_on is not None:
                        unpublished_on = end + dt.timedelta(days=1)
                        self.counts.expired += 1
                    else:
                        self.counts.lapsed_unpublished += 1
        return Window(
            publish_due=due,
            published_on=published_on,
            published_on_time=on_time,
            disclosure_rule=rule,
            disclosure_tier=tier_key,
            disclosure_end=end,
            unpublish_reason=reason,
            unpublished_on=unpublished_on,
        )
