"""Red and black lists: list types as data, and entries with their due process.

A list type (`ListType`) is reference data the credit office edits: its legal
basis, listing standard, deciding departments, period rule, early-removal
conditions, removal procedure and remedies (国办发〔2020〕49号 wants all of
them published). Its source says where its entries come from:

- `decided`: here, through the procedure of 49号 (propose → 事先告知 →
  objection → decide → publish → remove), one `ListEntry` per listing;
- `catalog_item`: fed by a catalog item whose decider is outside the platform
  (失信被执行人 from the court's SXBZX, A级纳税人 from NSXYA): the item's records
  in force are the entries; nothing is copied, so a court's withdrawal counts
  at once;
- `province`: received from the provincial platform (a later issue).

Nothing is ever listed automatically: a rule may only propose, a person decides.
"""

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.records.disclosure.windows import add_months

# 国办发〔2020〕49号 四(十)二: the subject may 陈述申辩 or object within the time
# the notice gives. The platform's default; each list type sets its own.
DEFAULT_NOTICE_WORKDAYS = 5
# The deciding department answers an objection within this many working days
# (default; each list type sets its own, e.g. 征信业管理条例 art. 25's 20 days).
DEFAULT_OBJECTION_ANSWER_WORKDAYS = 10

# The statuses in which a subject is on its way onto the list or on it: at most
# one such entry per list type and subject (`list_entry_open_unique`).
OPEN_STATUSES = ("proposed", "notified", "objected", "decided")
# The statuses of a decision that was taken (a 决定书 exists).
DECIDED_STATUSES = ("decided", "removed", "revoked", "expired")


class ListType(models.Model):
    """A kind of red, black or watch list, as data."""

    class Kind(models.TextChoices):
        RED = "red", _("红名单")
        BLACK = "black", _("黑名单")
        WATCH = "watch", _("重点关注名单")

    class PeriodRule(models.TextChoices):
        FIXED_YEARS = "fixed_years", _("固定年限")
        UNTIL_REMOVED = "until_removed", _("至移出为止")
        YEARLY = "yearly", _("按年度评定")

    class Source(models.TextChoices):
        DECIDED = "decided", _("本平台依程序认定")
        CATALOG_ITEM = "catalog_item", _("由目录事项汇集（认定机关在平台外）")
        PROVINCE = "province", _("省级平台推送")

    code = models.CharField(
        _("编码"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("编码只能由大写字母、数字和下划线组成"))
        ],
        help_text=_("大写字母，如 ZDSSWF；接口和核查结果用它指代名单"),
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    legal_basis = models.TextField(_("认定依据"))
    standard = models.TextField(_("认定标准"), blank=True)
    deciders = models.ManyToManyField(
        "orgs.Department",
        verbose_name=_("认定部门"),
        related_name="+",
        blank=True,
        help_text=_("可以提出和作出列入决定的部门；信用办始终可以"),
    )
    period_rule = models.CharField(_("期限规则"), max_length=16, choices=PeriodRule.choices)
    period_years = models.PositiveSmallIntegerField(
        _("期限（年）"), null=True, blank=True, help_text=_("期限规则为“固定年限”时必填")
    )
    early_removal = models.TextField(_("提前移出条件"), blank=True)
    # Months after the listing before an early removal may be granted (人社部令第45号: 6,
    # after correction plus a commitment); NULL: no early removal (some conduct cannot be
    # repaired, 49号).
    early_removal_after_months = models.PositiveSmallIntegerField(
        _("最早提前移出（月）"), null=True, blank=True
    )
    removal_procedure = models.TextField(_("移出条件和程序"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    measures = models.TextField(
        _("惩戒或激励措施（摘要）"),
        blank=True,
        help_text=_("写入决定书；措施清单由联合奖惩模块维护"),
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.DECIDED
    )
    feed_item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("汇集的目录事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="list_types",
        help_text=_("来源为“由目录事项汇集”时必填：该事项有效的记录即名单"),
    )
    publish_persons = models.BooleanField(
        _("公示自然人"),
        default=False,
        help_text=_("依据允许公示自然人时勾选；姓名和证件号遮蔽后公示"),
    )
    is_public = models.BooleanField(_("在门户公示"), default=True)
    # 国办发〔2020〕49号: the window for 陈述申辩/异议 after the 事先告知, in working days.
    notice_workdays = models.PositiveSmallIntegerField(
        _("陈述申辩期限（工作日）"), default=DEFAULT_NOTICE_WORKDAYS
    )
    objection_answer_workdays = models.PositiveSmallIntegerField(
        _("异议答复期限（工作日）"), default=DEFAULT_OBJECTION_ANSWER_WORKDAYS
    )
    note = models.TextField(_("备注"), blank=True, help_text=_("如“期限待核实”"))
    # Whether an accepted objection against a record an entry rests on suspends
    # the entry's publication until the objection is resolved (issue 14 §2).
    suspend_on_objection = models.BooleanField(
        _("异议期间暂停公示"),
        default=False,
        help_text=_("依据规定异议处理期间暂停公示的，勾选；核查中仍照常核查命中"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    is_builtin = models.BooleanField(_("内置"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("名单类型")
        verbose_name_plural = _("名单类型")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(period_rule="fixed_years")
                | models.Q(period_years__isnull=False, period_years__gt=0),
                name="list_type_fixed_years_has_years",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="catalog_item") | models.Q(feed_item__isnull=False),
                name="list_type_fed_has_item",
            ),
            models.CheckConstraint(
                condition=models.Q(source="catalog_item") | models.Q(feed_item__isnull=True),
                name="list_type_item_only_when_fed",
            ),
            models.CheckConstraint(
                condition=models.Q(notice_workdays__gt=0), name="list_type_notice_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def is_decided_here(self) -> bool:
        return self.source == self.Source.DECIDED

    def valid_until(self, listed_on: dt.date) -> dt.date | None:
        """The last day an entry listed on `listed_on` is in force (inclusive);
        None: until removed. Periods in years end on the day before the
        anniversary (民法典 art. 201, 202: counted from the next day)."""
        if self.period_rule == self.PeriodRule.UNTIL_REMOVED:
            return None
        # Yearly (e.g. A级纳税人): until the next evaluation, taken as one year.
        years = self.period_years or 1
        return add_months(listed_on, 12 * years) - dt.timedelta(days=1)

    def removal_conditions(self) -> str:
        """What the check and the portal show as the entry's removal conditions."""
        parts = [p for p in (self.removal_procedure, self.early_removal) if p.strip()]
        return "；".join(parts)


class ListEntryQuerySet(models.QuerySet["ListEntry"]):
    def in_force(self, on: dt.date) -> "ListEntryQuerySet":
        """Decided and not yet past `valid_until` on `on`: an expiry counts from
        the day after `valid_until` even before the daily job marks it expired."""
        return self.filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on),
            status=ListEntry.Status.DECIDED,
        )

    def published(self, on: dt.date) -> "ListEntryQuerySet":
        """In force and published on the portal (the list type is public)."""
        return self.in_force(on).filter(
            published_on__isnull=False,
            published_on__lte=on,
            list_type__is_public=True,
            publication_suspended=False,
        )


class ListEntry(models.Model):
    """One subject on (or on its way onto, or off) one list decided here."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟列入")
        NOTIFIED = "notified", _("已告知")
        OBJECTED = "objected", _("异议中")
        DECIDED = "decided", _("已决定列入")
        REMOVED = "removed", _("已移出")
        REVOKED = "revoked", _("已撤销")
        EXPIRED = "expired", _("已到期")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Challenge(models.TextChoices):
        """A listing in force that the subject contests or wants lifted: the
        check says so beside the hit (the rights app sets it, and clears it
        when the objection or the repair application is closed)."""

        NONE = "", _("无")
        OBJECTION = "objection", _("异议处理中")
        REPAIR = "repair", _("信用修复申请处理中")

    class ObjectionOutcome(models.TextChoices):
        NONE = "", _("无")
        ACCEPTED = "accepted", _("异议成立，撤回拟列入")
        REJECTED = "rejected", _("异议不成立")

    list_type = models.ForeignKey(
        ListType, verbose_name=_("名单类型"), on_delete=models.PROTECT, related_name="entries"
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信用主体"),
        on_delete=models.PROTECT,
        related_name="list_entries",
        db_index=False,  # first column of list_entry_subject_idx
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # The deciding department (the proposer is of it, or of the credit office).
    decided_by = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("认定部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reasons = models.TextField(_("列入事由"))
    basis = models.TextField(_("列入依据"))
    measures = models.TextField(_("惩戒或激励措施"), blank=True)
    evidence = models.ManyToManyField(
        "records.Record", verbose_name=_("证据（平台记录）"), related_name="+", blank=True
    )
    proposed_by = models.ForeignKey(
        "orgs.User", verbose_name=_("提出人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("提出日期"))
    # 事先告知 (49号): the notice's number, the day it was served and the last day
    # (inclusive) of the window for 陈述申辩/异议, counted in working days.
    notice_number = models.CharField(_("告知书文号"), max_length=100, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    objection_until = models.DateField(_("陈述申辩截止日"), null=True, blank=True)
    # The objection (one per entry; a rejected one may not be filed again).
    objection_text = models.TextField(_("异议内容"), blank=True)
    objection_received_on = models.DateField(_("异议收到日期"), null=True, blank=True)
    objection_answer_due = models.DateField(_("异议答复期限"), null=True, blank=True)
    objection_answer = models.TextField(_("异议答复"), blank=True)
    objection_answered_on = models.DateField(_("异议答复日期"), null=True, blank=True)
    objection_outcome = models.CharField(
        _("异议处理结果"), max_length=10, choices=ObjectionOutcome.choices, blank=True
    )
    # The decision (决定书) and, served with it (两书同达), the 信用修复告知书.
    document_number = models.CharField(_("决定书文号"), max_length=100, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    # The end: removed (early, by repair), revoked (review/litigation), expired, withdrawn.
    ended_on = models.DateField(_("移出/撤销/撤回日期"), null=True, blank=True)
    end_reason = models.TextField(_("移出/撤销/撤回原因"), blank=True)
    # Publication suspended while an objection is handled (the type's
    # `suspend_on_objection`; `services.suspension`); checks still match it.
    publication_suspended = models.BooleanField(
        _("暂停公示（异议处理中）"), default=False, db_default=False
    )
    # After the decision: an objection or a repair application under way (`list_entry_challenge`).
    challenge = models.CharField(
        _("异议/修复状态"), max_length=10, choices=Challenge.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("创建时间"))
    # Every transition sets it; the change feed reads (updated_at, id).
    updated_at = models.DateTimeField(_("更新时间"))

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_type", "subject"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="list_entry_open_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=DECIDED_STATUSES)
                | (models.Q(listed_on__isnull=False) & ~models.Q(document_number="")),
                name="list_entry_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(listed_on__isnull=False, valid_until__gte=models.F("listed_on")),
                name="list_entry_valid_after_listed",
            ),
            models.CheckConstraint(
                condition=models.Q(status="proposed")
                | models.Q(status="withdrawn")
                | models.Q(notified_on__isnull=False, objection_until__isnull=False),
                name="list_entry_notified_has_window",
            ),
        ]
        indexes = [
            # entries_in_force (the check, a hot path): a subject's decided entries.
            models.Index(
                fields=["subject"],
                condition=models.Q(status="decided"),
                name="list_entry_in_force_idx",
            ),
            # Staff pages and the uniqueness check: a subject's entries in any state.
            models.Index(fields=["subject", "list_type"], name="list_entry_subject_idx"),
            # Portal list pages: a list type's entries in force, newest first.
            models.Index(
                fields=["list_type", "listed_on"],
                condition=models.Q(status="decided"),
                name="list_entry_decided_idx",
            ),
            # The daily job: decided entries past valid_until.
            models.Index(
                fields=["valid_until"],
                condition=models.Q(status="decided"),
                name="list_entry_expiry_idx",
            ),
            # The change feed.
            models.Index(fields=["updated_at", "id"], name="list_entry_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.list_type.name}：{self.subject.name}"

    @property
    def objection_answer_late(self) -> bool | None:
        """Whether the objection was (or, unanswered, is by today) answered past its due day."""
        if self.objection_answer_due is None:
            return None
        answered = self.objection_answered_on or clock.today()
        return answered > self.objection_answer_due

    def in_force_on(self, day: dt.date) -> bool:
        return self.status == self.Status.DECIDED and (
            self.valid_until is None or self.valid_until >= day
        )

    def early_removal_from(self) -> dt.date | None:
        """The first day an early removal may be granted; None: never."""
        months = self.list_type.early_removal_after_months
        if months is None or self.listed_on is None:
            return None
        return add_months(self.listed_on, months)
