"""联合奖惩: action domains, memoranda and their measures, checks, feedback, cases.

The reference data (domains, memoranda, measures) follows the shape of the
《全国失信惩戒措施基础清单》 (NDRC and PBoC, 2021, 2024 editions): each measure
has its content, its targets, its legal basis and its implementing body, and
measures beyond the list need a legal basis. A memorandum (合作备忘录) groups
the measures that departments agreed to apply to the subjects of one list
type; it names the list types it applies to by code (`lists.ListType.code`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# 国办发〔2016〕33号 and the memoranda's "反馈机制": the checking department
# reports what it did. The plan sets no number of days; 5 working days is the
# shipped default, editable per domain (`ActionDomain.feedback_workdays`).
DEFAULT_FEEDBACK_WORKDAYS = 5


class ActionDomain(models.Model):
    """An area of administrative action in which measures apply (行政许可,
    政府采购, …). Codes are data: the credit office adds domains in the admin."""

    code = models.CharField(_("领域代码"), max_length=10, unique=True)
    name = models.CharField(_("领域"), max_length=50)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    feedback_workdays = models.PositiveSmallIntegerField(
        _("反馈期限（工作日）"),
        default=DEFAULT_FEEDBACK_WORKDAYS,
        help_text=_("核查命中后，核查部门应在此期限内反馈措施落实情况"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("奖惩领域")
        verbose_name_plural = _("奖惩领域")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_workdays__gte=1), name="domain_feedback_workdays_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Memorandum(models.Model):
    """A 联合奖惩合作备忘录: which list types it targets, and its measures."""

    class Kind(models.TextChoices):
        PUNISHMENT = "punishment", _("联合惩戒")
        REWARD = "reward", _("联合激励")

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    issuers = models.TextField(_("联合签署单位"), blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    # The list types (lists.ListType.code) whose entries the measures apply to,
    # separated by commas: e.g. "SXBZX".
    list_codes = models.CharField(
        _("适用名单"), max_length=200, help_text=_("名单类型代码，多个用逗号分隔，如 SXBZX")
    )
    # 国家发展改革委: feedback on the application is due periodically.
    feedback_rule = models.CharField(_("反馈要求"), max_length=200, blank=True)
    source_note = models.TextField(_("来源说明"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("合作备忘录")
        verbose_name_plural = _("合作备忘录")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"

    @property
    def list_code_set(self) -> frozenset[str]:
        return frozenset(c.strip().upper() for c in self.list_codes.split(",") if c.strip())


class Measure(models.Model):
    """One measure of a memorandum, in the shape of the 失信惩戒措施基础清单."""

    class Force(models.TextChoices):
        # "依法依规实施" / "应当": the law obliges the implementing body.
        MANDATORY = "mandatory", _("强制性")
        # "可以" / "作为参考": left to the implementing body's judgement.
        DISCRETIONARY = "discretionary", _("裁量性")

    memorandum = models.ForeignKey(
        Memorandum, verbose_name=_("备忘录"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    domain = models.ForeignKey(
        ActionDomain, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="measures"
    )
    content = models.TextField(_("措施内容"))
    targets = models.CharField(_("实施对象"), max_length=200)
    legal_basis = models.TextField(_("法律依据"))
    implementing_body = models.CharField(_("实施单位"), max_length=200)
    # The platform's departments that implement it here (optional, editable).
    departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("本地实施部门"), related_name="+", blank=True
    )
    force = models.CharField(_("性质"), max_length=14, choices=Force.choices)
    # A reward for a red list (绿色通道, 容缺受理, 减少检查 …) rather than a punishment.
    is_reward = models.BooleanField(_("激励措施"), default=False)

    class Meta:
        verbose_name = _("奖惩措施")
        verbose_name_plural = _("奖惩措施")
        ordering = ["memorandum", "number"]
        constraints = [
            models.UniqueConstraint(fields=["memorandum", "number"], name="measure_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.memorandum.code}-{self.number} {self.content[:30]}"


class CheckBatch(models.Model):
    """A bulk check: an uploaded list of bidders (or other counterparts).

    The upload answers at once: the file is kept (encrypted, `stored_file`)
    and a worker checks it (`services.bulk.check_batch_run`), writing every
    row's `Check` in one transaction at the end, so that a worker killed on
    the way leaves no row and the next one starts again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("核查中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("核查部门"), on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        ActionDomain, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="+"
    )
    matter = models.CharField(_("事项"), max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # The upload as received, encrypted (core.crypto), under MEDIA_ROOT; removed when done.
    stored_file = models.CharField(_("保存的文件"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    digest = models.CharField(_("SHA-256"), max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    # The progress bar: the rows the file seems to hold, and those checked so far.
    expected_rows = models.PositiveIntegerField(_("预计行数"), null=True, blank=True)
    checked_rows = models.PositiveIntegerField(_("已核查行数"), default=0)
    failure_reason = models.TextField(_("失败原因"), blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    hit_rows = models.PositiveIntegerField(_("命中行数"), default=0)
    result = models.BinaryField(_("核查结果表"), blank=True, default=b"")
    created_at = models.DateTimeField(_("核查时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量核查")
        verbose_name_plural = _("批量核查")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The workers' recovery: batches not yet ended.
            models.Index(
                fields=["status"],
                condition=Q(status__in=["queued", "running"]),
                name="check_batch_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter}（{self.rows} 行）"


class Check(models.Model):
    """One 联合奖惩核查: who checked whom, for what, and what it found.

    The answer is kept as it was given (`hits`, JSON): later changes to the
    lists do not rewrite what the officer saw. A person's ID number is never
    stored in clear: `query` holds it masked, `query_digest` its keyed digest."""

    class Channel(models.TextChoices):
        PAGE = "page", _("工作台")
        BULK = "bulk", _("批量核查")
        API = "api", _("接口")
        CLI = "cli", _("命令行")

    created_at = models.DateTimeField(_("核查时间"))
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    token = models.ForeignKey(
        "orgs.ApiToken",
        verbose_name=_("接口令牌"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("核查部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # None: the command line without --domain (the measures of every domain shown).
    domain = models.ForeignKey(
        ActionDomain,
        verbose_name=_("领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.CharField(_("事项"), max_length=200, blank=True)
    batch = models.ForeignKey(
        CheckBatch,
        verbose_name=_("批量核查"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checks",
    )
    row = models.PositiveIntegerField(_("行号"), null=True, blank=True)
    query = models.CharField(_("核查对象"), max_length=300)
    query_digest = models.CharField(max_length=64, blank=True)
    # The subjects the query matched (ids), for coverage: "checked before the decision".
    subject_ids = models.JSONField(_("匹配主体"), default=list)
    hit_count = models.PositiveIntegerField(_("命中数"), default=0)
    hits = models.JSONField(_("核查结果"), default=list)
    needs_review = models.BooleanField(_("需人工核实"), default=False)
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("联合奖惩核查")
        verbose_name_plural = _("联合奖惩核查")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "created_at"], name="check_department_idx"),
            models.Index(
                fields=["department", "feedback_due"],
                condition=Q(hit_count__gt=0),
                name="check_hit_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_due__isnull=True) | Q(hit_count__gt=0),
                name="check_hit_has_due",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | Q(token__isnull=False) | Q(channel="cli"),
                name="check_has_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.query}"


class CheckedSubject(models.Model):
    """A subject a check matched: "was it checked before the decision?" for
    the 应查尽查 coverage, by index rather than by reading JSON."""

    check_run = models.ForeignKey(
        Check, verbose_name=_("核查"), on_delete=models.CASCADE, related_name="checked"
    )
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("主体"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    checked_on = models.DateField(_("核查日期"))

    class Meta:
        verbose_name = _("已核查主体")
        verbose_name_plural = _("已核查主体")
        indexes = [
            models.Index(fields=["department", "subject", "checked_on"], name="checked_subject_idx")
        ]

    def __str__(self) -> str:
        return f"{self.check_run_id} · {self.subject_id}"


class Feedback(models.Model):
    """What the checking department did about a hit (措施落实反馈)."""

    check_run = models.OneToOneField(
        Check, verbose_name=_("核查"), on_delete=models.CASCADE, related_name="feedback"
    )
    applied = models.BooleanField(_("已实施措施"))
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("实施的措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason_not_applied = models.TextField(_("未实施原因"), blank=True)
    result = models.TextField(_("处理结果"))
    decided_on = models.DateField(_("处理日期"))
    # The staff page: the officer's account. The API: the department's token,
    # and the name of the officer who handled it (`officer_name`).
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    token = models.ForeignKey(
        "orgs.ApiToken",
        verbose_name=_("接口令牌"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    officer_name = models.CharField(_("经办人"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("反馈时间"))
    is_late = models.BooleanField(_("逾期反馈"), default=False)

    class Meta:
        verbose_name = _("措施落实反馈")
        verbose_name_plural = _("措施落实反馈")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied=True, measure__isnull=False)
                | (Q(applied=False) & ~Q(reason_not_applied="")),
                name="feedback_measure_or_reason",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | ~Q(officer_name=""),
                name="feedback_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_run_id}: {self.result[:30]}"

    @property
    def officer_shown(self) -> str:
        """Who gave it: the officer named (API) or the officer's account (staff page)."""
        if self.officer_name:
            return self.officer_name
        return str(self.officer) if self.officer_id else ""


class Case(models.Model):
    """A 联合奖惩典型案例, written by a department from its feedback, reviewed
    and published on the portal (诚信宣传 · 典型案例) by the credit office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已发布")

    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.ForeignKey(
        Feedback, verbose_name=_("来源反馈"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Memorandum.Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    # Masked where the law requires (a natural person's name; 个人信息保护法).
    subject_display = models.CharField(_("当事人"), max_length=200)
    facts = models.TextField(_("基本案情"))
    measures = models.TextField(_("奖惩措施"))
    effect = models.TextField(_("取得成效"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    # Proposed by the department while drafting; what the credit office keeps
    # when it publishes (or edits the published case) is what the portal shows.
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("标签"), blank=True, related_name="cases"
    )

    class Meta:
        verbose_name = _("联合奖惩案例")
        verbose_name_plural = _("联合奖惩案例")
        ordering = ["-published_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="published", published_on__isnull=False)
                | (~Q(status="published") & Q(published_on__isnull=True)),
                name="case_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title
