"""Records of every catalog item in one table.

Common, indexed columns serve lists and searches; the item's own fields are
in `data` (JSON), keyed by field key. A record's key is (department, item,
document number — or the item's key fields): the same row submitted twice is one record; a changed
row makes a new revision, and the previous content moves to
`RecordRevision` — nothing is overwritten without a trace.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.db import dialect
from xinyong.records.gate import NOT_PUBLISHING as NOT_PUBLISHING
from xinyong.records.gate import ExportState as ExportState
from xinyong.records.gate import NotPublishing as NotPublishing
from xinyong.records.gate import PublishingBatch as PublishingBatch

if TYPE_CHECKING:
    from xinyong.catalog.models import CatalogItem


class ItemAmong(Func):
    """The condition "the record's catalog item is one of `items`" (a queryset
    of catalog item ids), without a join.

    SQL intent: PostgreSQL `item_id = ANY(ARRAY(SELECT id FROM
    catalog_catalogitem WHERE …))` — an InitPlan run once, so the planner
    treats it like a list of ids and, for "newest first" lists, walks the
    date index backwards (a join made it read every public record of each
    item and sort them). SQLite `item_id IN (SELECT …)`, written
    `item_id + 0 IN (…)` when `use_item_index` is false so that its planner
    does not prefer the item index and a sort either.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(
        self, items: models.QuerySet["CatalogItem"], *, use_item_index: bool = False
    ) -> None:
        self.use_item_index = use_item_index
        # No ORDER BY inside (CatalogItem's default ordering): a list of ids.
        super().__init__(F("item_id"), Subquery(items.order_by().values("pk")))

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        item, item_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        params = (*item_params, *ids_params)
        return dialect(connection).in_subquery(item, ids, use_index=self.use_item_index), params


class OfPublicItem(ItemAmong):
    """The condition "the record's catalog item is public" (see `ItemAmong`)."""

    def __init__(self, *, use_item_index: bool = False):
        from xinyong.catalog.models import public_items

        super().__init__(public_items(), use_item_index=use_item_index)


def publicly_visible_condition(today: dt.date) -> models.Q:
    """The condition of `RecordQuerySet.publicly_visible` on `today`, for a
    filter or an annotation (the change feed says with it whether a changed
    record is in the public view)."""
    return models.Q(
        models.Q(disclosure_end__isnull=True) | models.Q(disclosure_end__gte=today),
        OfPublicItem(),
        NOT_PUBLISHING,
        status=Record.Status.ACTIVE,
        unpublish_reason="",
        published_on__isnull=False,
        published_on__lte=today,
    )


class RecordQuerySet(models.QuerySet["Record"]):
    def active(self) -> "RecordQuerySet":
        return self.filter(status=Record.Status.ACTIVE)

    def live(self) -> "RecordQuerySet":
        """Every record but those of an unfinished import (staff pages and
        counts; the public conditions name their status already)."""
        return self.exclude(status=Record.Status.STAGED).filter(NOT_PUBLISHING)

    def publicly_visible(self) -> "RecordQuerySet":
        """What the public may see today: records of public catalog items that
        went public, are still inside their disclosure window, and were
        neither withdrawn (行政处罚法 art. 48) nor ended.

        Evaluated against the platform clock when called, so a record leaves
        the public view on the day after its `disclosure_end` even if
        `xinyong daily` has not run yet, and at once when withdrawn.

        SQL intent: the status/reason/published_on terms repeat the condition
        of the partial indexes `record_public_date_idx` and
        `record_public_item_idx`; the item's disclosure is checked without a
        join (see `OfPublicItem`), so "newest first" lists walk the date
        index and a caller's `.filter(item=…)` uses the item index. One query.
        """
        return self.filter(publicly_visible_condition(clock.today()))

    def publicly_withdrawn(self) -> "RecordQuerySet":
        """Published records that were withdrawn: 行政处罚法 art. 48 wants the
        withdrawal and its reason made public ("公开说明理由")."""
        return self.filter(
            OfPublicItem(),
            status=Record.Status.WITHDRAWN,
            unpublish_reason=Record.UnpublishReason.WITHDRAWN,
            published_on__isnull=False,
        )

    def awaiting_publication(self, day: dt.date) -> "RecordQuerySet":
        """Records that `xinyong daily` publishes on `day`: of a public item,
        decided, inside their window, with their window computed, not yet
        public.

        SQL intent: the partial index `record_waiting_idx` (item_id IN (…)
        AND decision_date <= day) picks the rows; the end of the window is
        checked as COALESCE(disclosure_end, '9999-12-31') >= day, which no
        index serves, so that the planner does not walk `record_expiry_idx`
        (every public record) instead.
        """
        return self.filter(
            GreaterThanOrEqual(Coalesce("disclosure_end", Value(dt.date.max)), day),
            OfPublicItem(use_item_index=True),
            status=Record.Status.ACTIVE,
            unpublish_reason="",
            published_on__isnull=True,
            decision_date__lte=day,
        ).exclude(disclosure_rule="")


# Conditions of the partial indexes. A record is "shown" while it is active
# and has no reason to be out of the public view; `_PUBLIC` once it also went
# public, `_WAITING` while it has not yet.
_SHOWN = models.Q(status="active", unpublish_reason="")
_PUBLIC = models.Q(status="active", unpublish_reason="", published_on__isnull=False)
_WAITING = models.Q(status="active", unpublish_reason="", published_on__isnull=True)


class Record(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        WITHDRAWN = "withdrawn", _("已撤回")
        # Written by an import that has not finished: seen by no page, list,
        # count or feed until its batch is done (then active, or merged into
        # the record it corrects), removed if the batch fails
        # (docs/architecture.md, "Import visibility").
        STAGED = "staged", _("导入中")

    class UnpublishReason(models.TextChoices):
        """Why a record is not (or no longer) in the public view."""

        NONE = "", _("无")
        EXPIRED = "expired", _("公示期满")
        WITHDRAWN = "withdrawn", _("已撤回")
        # The tier of the rule set is not published at all, e.g. 轻微失信信息
        # under 国家发展改革委令第36号 ("原则上不予公示"), or a penalty of
        # 警告 only under 市场监管总局令第45号 art. 2.
        NOT_DISCLOSED = "not_disclosed", _("依规不予公示")
        # 《信用修复管理办法》（国家发展改革委令第36号）: a repair approved by the
        # deciding department ends the publication (终止公示) before its end.
        REPAIRED = "repaired", _("信用修复，终止公示")

    class WithdrawalKind(models.TextChoices):
        """行政处罚法 (2021) art. 48: a decision 变更、撤销、确认违法或者确认无效."""

        NONE = "", _("未填写")
        CHANGED = "changed", _("决定被变更")
        REVOKED = "revoked", _("决定被撤销")
        ILLEGAL = "illegal", _("决定被确认违法")
        INVALID = "invalid", _("决定被确认无效")
        OTHER = "other", _("其他")

    # No single-column indexes on the foreign keys: each is the first column
    # of a composite index below (item: (item, decision_date); department:
    # the record key; subject: (subject, item)), and versions are never
    # deleted (PROTECT, no service deletes one). Every index costs every
    # imported row a B-tree insert.
    item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("目录事项"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    version = models.ForeignKey(
        "catalog.CatalogItemVersion",
        verbose_name=_("目录版本"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("报送部门"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信用主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    doc_number = models.CharField(_("文书号"), max_length=200)
    # The record's identity within its department and item: the document number,
    # or, for items whose documents list many subjects (e.g. an A-level taxpayer
    # announcement), the values of the item's `key_fields` joined by "|".
    record_key = models.CharField(_("记录标识"), max_length=300)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    data = models.JSONField(_("字段内容"))
    # SHA-256 of the canonical content: re-submitting the same row changes nothing.
    content_hash = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    submitted_on = models.DateField(_("报送日期"))
    # 工作要点（神信用办〔2018〕1号）二.2: submitted within 7 days of the decision.
    submit_due = models.DateField(_("报送截止日"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    # The ingest batch and row it came from (a plain id: records never import ingest).
    source_batch_id = models.BigIntegerField(_("来源批次"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    # The last change of the record's content or of its place in the public
    # view: every write sets it (intake, `record_disclosure_fill`, `xinyong
    # daily`, `record_withdraw`); the open-data change feed reads it.
    updated_at = models.DateTimeField(_("更新时间"))

    # -- disclosure (see the records/disclosure package) --------------------
    # The new columns have database defaults: the intake's raw INSERT/COPY
    # names only the columns above, and `record_disclosure_fill` computes
    # these afterwards, set-based.
    #
    # 发改办财金〔2018〕424号: 双公示 online within 7 working days of the decision.
    publish_due = models.DateField(_("应公示日期"), null=True, blank=True)
    # The first day the record was public (set when it is published: at
    # submission by `record_disclosure_fill`, or by `xinyong daily`).
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    published_on_time = models.BooleanField(_("按时公示"), null=True, blank=True)
    # The rule set applied (its code, or "validity" for "public while valid",
    # "none" when no rule set covered the decision date; "" = not computed
    # yet) and the tier it gave. Stored so that later rule changes do not
    # rewrite history.
    disclosure_rule = models.CharField(
        _("公示规则"), max_length=30, blank=True, default="", db_default=""
    )
    disclosure_tier = models.CharField(
        _("失信程度"), max_length=20, blank=True, default="", db_default=""
    )
    # The last day of publication (inclusive); NULL: no end (a licence without
    # an end of validity; 2099-12-31 is the 双公示 standard's "长期").
    disclosure_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    # The first day the record was no longer public, and why (for the change
    # feed). An expiry is dated disclosure_end + 1 whenever the job runs.
    unpublished_on = models.DateField(_("停止公示日期"), null=True, blank=True)
    unpublish_reason = models.CharField(
        _("停止公示原因"),
        max_length=16,
        choices=UnpublishReason.choices,
        blank=True,
        default="",
        db_default="",
    )
    # 行政处罚法 (2021) art. 48: withdrawn within 3 (working, art. 85) days of
    # the decision that changed, revoked or annulled the penalty, with reasons.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回原因"), blank=True, default="", db_default="")
    withdrawn_kind = models.CharField(
        _("撤回类别"),
        max_length=12,
        choices=WithdrawalKind.choices,
        blank=True,
        default="",
        db_default="",
    )
    withdrawal_decided_on = models.DateField(_("变更/撤销决定日期"), null=True, blank=True)
    withdrawn_on_time = models.BooleanField(_("按时撤回"), null=True, blank=True)
    # Under objection (set by the objection workflow): shown on the record.
    disputed = models.BooleanField(_("存在异议"), default=False, db_default=False)
    # What looked wrong in the current content but did not reject it (issue 12
    # item 9: a 91… code declared 个体工商户), each {"field", "value",
    # "message"} in Chinese; shown on the staff record page. Set by the intake
    # (`record_warnings_store`); a correction replaces it.
    warnings = models.JSONField(_("校验提示"), default=list, blank=True, db_default=[])
    # The last single-record correction (`records.corrections.record_correct`,
    # e.g. an upheld objection): why, and when. Shown with the record on the
    # portal, the open data and the change feed.
    correction_reason = models.TextField(_("更正原因"), blank=True, default="", db_default="")
    corrected_at = models.DateTimeField(_("更正时间"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        constraints = [
            # One live record per key; an unfinished import's rows (staged)
            # are one per key and batch, beside the record they may correct.
            models.UniqueConstraint(
                fields=["department", "item", "record_key"],
                condition=~models.Q(status="staged"),
                name="record_key_unique",
            ),
            models.UniqueConstraint(
                fields=["source_batch_id", "record_key"],
                condition=models.Q(status="staged"),
                name="record_staged_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "decision_date"]),
            models.Index(
                fields=["department"], condition=models.Q(is_late=True), name="record_late_idx"
            ),
            models.Index(fields=["subject", "item"]),
            # record_disclosure_fill streams a batch's records by id.
            models.Index(fields=["source_batch_id", "id"], name="record_batch_idx"),
            # Public lists (publicly_visible), newest first, all items or one.
            models.Index(
                fields=["decision_date"], condition=_PUBLIC, name="record_public_date_idx"
            ),
            models.Index(
                fields=["item", "decision_date"], condition=_PUBLIC, name="record_public_item_idx"
            ),
            # xinyong daily: what expires (disclosure_end < day) ...
            models.Index(fields=["disclosure_end"], condition=_SHOWN, name="record_expiry_idx"),
            # ... what waits for publication ...
            models.Index(
                fields=["item", "decision_date"], condition=_WAITING, name="record_waiting_idx"
            ),
            # ... and what was written without its window computed.
            models.Index(
                fields=["source_batch_id"],
                condition=models.Q(disclosure_rule=""),
                name="record_uncomputed_idx",
            ),
            # The open-data change feed: updated_at > since, in (updated_at, id)
            # order. Every state change of a record sets updated_at (intake,
            # record_disclosure_fill, xinyong daily, record_withdraw).
            models.Index(fields=["updated_at", "id"], name="record_changed_idx"),
        ]

    def __str__(self) -> str:
        return self.doc_number


class RecordRevision(models.Model):
    """A record's earlier content, kept when a correction replaced it."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("修订号"))
    version = models.ForeignKey(
        "catalog.CatalogItemVersion", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("字段内容"))
    content_hash = models.CharField(max_length=64)
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_batch_id = models.BigIntegerField(null=True, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    valid_from_at = models.DateTimeField(_("生效时间"))
    replaced_at = models.DateTimeField(_("被替换时间"))

    class Meta:
        verbose_name = _("记录修订")
        verbose_name_plural = _("记录修订")
        ordering = ["record", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["record", "revision"], name="record_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.revision}"


class DisclosureRuleSet(models.Model):
    """A set of disclosure rules: how long negative records stay public.

    `rules` (JSON, checked by `disclosure.rules_problems`) holds the tiers
    (e.g. 轻微/一般/严重 with their minimum and maximum periods in months and
    whether the tier is published at all) and the tier rules (处罚类别, amount
    thresholds in 万元, subject kinds → tier) that the credit office edits in
    the admin. A *general* set applies to the decisions of its window for
    every department; a *sector* set (e.g. 市场监管总局令第45号) only to the
    departments attached to it, and takes precedence over the general set.
    The code is stored on each record with the tier, so editing a set never
    rewrites the windows already computed.
    """

    class Scope(models.TextChoices):
        GENERAL = "general", _("通用")
        SECTOR = "sector", _("行业")

    code = models.SlugField(_("规则编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    basis = models.CharField(_("依据"), max_length=500)
    scope = models.CharField(
        _("适用范围"), max_length=10, choices=Scope.choices, default=Scope.GENERAL
    )
    # Decisions taken on or after / on or before these days (either may be open).
    effective_from = models.DateField(_("适用决定日期自"), null=True, blank=True)
    effective_to = models.DateField(_("适用决定日期至"), null=True, blank=True)
    rules = models.JSONField(_("规则"))
    items = models.ManyToManyField(
        "catalog.CatalogItem", verbose_name=_("适用目录事项"), related_name="+", blank=True
    )
    departments = models.ManyToManyField(
        "orgs.Department",
        verbose_name=_("适用部门"),
        related_name="+",
        blank=True,
        help_text=_("仅对行业规则有效：只适用于这些部门作出的决定"),
    )
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("公示期规则")
        verbose_name_plural = _("公示期规则")
        ordering = ["scope", "-effective_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_from__isnull=True)
                | models.Q(effective_to__isnull=True)
                | models.Q(effective_from__lte=models.F("effective_to")),
                name="disclosure_rule_window_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def covers(self, day: dt.date) -> bool:
        """Whether a decision taken on `day` falls in this set's window."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


# The purge's models (遗忘, issue 14 §7) live in their own module.
from xinyong.records.purged import PurgedRecord as PurgedRecord  # noqa: E402
from xinyong.records.purged import PurgeTombstone as PurgeTombstone  # noqa: E402
from xinyong.records.purged import RetentionRule as RetentionRule  # noqa: E402
