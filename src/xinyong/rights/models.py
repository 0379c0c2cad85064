"""Objections (异议) filed by a record's subject without an account (issue 14).

An objection is filed on the portal or through `POST /api/v1/public/objections`
and answered with a tracking number and a secret; only a SHA-256 digest of
the secret is stored. Its workflow (DOMAIN §7, the Guangzhou practice):

    待受理 ──▶ 受理 ──▶ 核查中 (the providing department) ──▶ 更正 / 维持 / 撤销 ──▶ 已办结
      │  └──▶ 补正 ──▶ (受理 / 不予受理)
      └──▶ 不予受理 (with its reason and the remedies)

While it is accepted and not yet closed, the record is `disputed`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.models import Department
from xinyong.records.models import Record


class Objection(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", _("待受理")
        NEEDS_MORE = "needs_more", _("补正")
        REFUSED = "refused", _("不予受理")
        ACCEPTED = "accepted", _("受理")
        VERIFYING = "verifying", _("核查中")
        CORRECTED = "corrected", _("更正")
        UPHELD = "upheld", _("维持")
        REVOKED = "revoked", _("撤销")
        CLOSED = "closed", _("已办结")

    class ApplicantKind(models.TextChoices):
        LEGAL = "legal", _("法人及非法人组织")
        PERSON = "person", _("自然人")

    # The states in which the record is marked 异议处理中.
    OPEN_ACCEPTED = (
        Status.ACCEPTED,
        Status.VERIFYING,
        Status.CORRECTED,
        Status.UPHELD,
        Status.REVOKED,
    )
    # The states an applicant's objection ends in.
    FINAL = (Status.REFUSED, Status.CLOSED)

    number = models.CharField(_("受理编号"), max_length=32, unique=True)
    # SHA-256 (hex) of the secret handed to the applicant; the secret itself is never stored.
    secret_digest = models.CharField(max_length=64)
    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="objections", verbose_name=_("异议记录")
    )
    # The providing department (the record's), which verifies; copied for the queue's filter.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="objections", verbose_name=_("提供部门")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.FILED
    )
    applicant_kind = models.CharField(_("申请人类别"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人名称"), max_length=200)
    # A USCC is public; a resident ID number is kept masked only (the identity
    # was checked against the subject's keyed digest when filed).
    applicant_code_masked = models.CharField(_("证件号码（遮蔽）"), max_length=30)
    applicant_phone = models.CharField(_("联系电话"), max_length=30)
    # Optional: where the applicant is told of each step (orgs.notices).
    applicant_email = models.EmailField(_("电子邮箱"), blank=True, default="", db_default="")
    reason = models.TextField(_("异议理由"))
    filed_on = models.DateField(_("提交日期"))
    filed_at = models.DateTimeField(_("提交时间"))
    # Deadlines in working days (core.workdays), fixed when each step starts.
    accept_due = models.DateField(_("受理期限"))
    reply_due = models.DateField(_("答复期限"))
    verify_due = models.DateField(_("核查期限"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    routed_on = models.DateField(_("转交核查日期"), null=True, blank=True)
    verified_on = models.DateField(_("核查日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # Why it was refused, what the applicant must add, what verification found.
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    needs_more_note = models.TextField(_("补正要求"), blank=True)
    verification_note = models.TextField(_("核查意见"), blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("异议申请")
        verbose_name_plural = _("异议申请")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["department", "status"], name="objection_dept_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="objection_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["verifying", "corrected", "upheld", "revoked"])
                | models.Q(verify_due__isnull=False),
                name="objection_verifying_has_due",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="objection_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINAL


class ObjectionAttachment(models.Model):
    """A proof attached by the applicant: pdf, jpg or png, at most 10 MB, its
    type checked by content. Stored encrypted (`core.crypto`) under
    `XINYONG_PRIVATE_ROOT`, outside the web root; only the objection's staff
    download it (`views.attachment_download`, audited)."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    # The file's name under XINYONG_PRIVATE_ROOT/objections/ (random, never the original).
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__lte=10 * 1024 * 1024), name="objection_attachment_max_size"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class ObjectionEscalation(models.Model):
    """An objection found past the deadline of one of its steps and reported to
    the credit office (`services.escalation`): one row, hence one notice, per
    objection, step and deadline."""

    class Step(models.TextChoices):
        ACCEPT = "accept", _("受理")
        VERIFY = "verify", _("核查")
        REPLY = "reply", _("答复")

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(_("环节"), max_length=10, choices=Step.choices)
    due = models.DateField(_("期限"))
    escalated_at = models.DateTimeField(_("上报时间"))

    class Meta:
        verbose_name = _("逾期异议上报")
        verbose_name_plural = _("逾期异议上报")
        constraints = [
            models.UniqueConstraint(
                fields=["objection", "step", "due"], name="objection_escalation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objection_id} {self.step} {self.due}"


class DisclosureAccess(models.Model):
    """知情 (issue 14 §7): one grant to see everything the platform holds about
    a subject (`rights.dossier`).

    - 窗口核验 (`counter`): the credit office's counter staff checked the
      person's identity document (or a company's authorisation letter) in
      person; the grant is the clerk's own and lasts a short while.
    - 授权查询码 (`code`): after checking a company's authorisation letter the
      credit office issues a code, shown once, stored as its SHA-256 only,
      valid for that subject until `expires_at`; the company enters its USCC
      and the code on the portal, without an account.

    Every issue, every use and every refused use is audited."""

    class Kind(models.TextChoices):
        COUNTER = "counter", _("窗口核验")
        CODE = "code", _("授权查询码")

    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信息主体"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # SHA-256 (hex) of the access code; empty for a counter grant.
    code_digest = models.CharField(max_length=64, blank=True, default="")
    issued_by = models.ForeignKey(
        "orgs.User", verbose_name=_("办理人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("办理时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    # How the identity was checked (document type, authorisation letter number).
    identity_note = models.CharField(_("身份核验"), max_length=200)
    reason = models.CharField(_("查询事由"), max_length=200)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("使用次数"), default=0)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("信息主体查询授权")
        verbose_name_plural = _("信息主体查询授权")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="counter", code_digest="")
                | (models.Q(kind="code") & ~models.Q(code_digest="")),
                name="disclosure_access_code_kind",
            ),
            models.UniqueConstraint(
                fields=["code_digest"],
                condition=~models.Q(code_digest=""),
                name="disclosure_access_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


# -- credit repair (信用修复), issue 14 §3 -------------------------------------------


class RepairRule(models.Model):
    """When a negative record may be repaired, and who decides: reference data
    the credit office edits (admin). The record's own rule set gives the
    shortest disclosure period (DOMAIN §3); this adds what the period does
    not say. The rule of the record's catalog item wins over the general one
    (no item)."""

    class Decider(models.TextChoices):
        # 国家发展改革委令第36号: "谁认定、谁修复" — the department that decided.
        DEPARTMENT = "department", _("作出决定的部门（谁认定谁修复）")
        CREDIT_OFFICE = "credit_office", _("信用办")

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    basis = models.TextField(_("依据"))
    item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("适用目录事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空：适用所有有失信程度的信息"),
    )
    # 处罚类别 whose information may not end early (e.g. 市场监管总局令第45号:
    # 责令停产停业, 吊销许可证件, 限制从业 …), as the 2021 names (行政处罚法 art. 9).
    not_repairable_categories = models.JSONField(_("不可修复的处罚类别"), default=list, blank=True)
    decider = models.CharField(
        _("审核机关"), max_length=16, choices=Decider.choices, default=Decider.DEPARTMENT
    )
    requires_training = models.BooleanField(_("须参加信用修复培训"), default=False)
    # DOMAIN §7: unconfirmed nationally; one province uses 10 working days.
    decide_workdays = models.PositiveSmallIntegerField(_("办理期限（工作日）"), default=10)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用修复规则")
        verbose_name_plural = _("信用修复规则")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decide_workdays__gt=0), name="repair_rule_workdays_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Repair(models.Model):
    """A credit repair application (信用修复申请) for one negative record,
    filed without an account like an objection:

        待受理 ──▶ 审核中 ──▶ 已修复 (终止公示, 停止共享, list entries removed
          │                  where allowed, the measures' departments told)
          │          └──▶ 不予修复 (reasons and remedies)
          └──▶ 不予受理 (reason and remedies)
    """

    class Status(models.TextChoices):
        FILED = "filed", _("待受理")
        REFUSED = "refused", _("不予受理")
        REVIEWING = "reviewing", _("审核中")
        APPROVED = "approved", _("已修复")
        REJECTED = "rejected", _("不予修复")

    OPEN = (Status.FILED, Status.REVIEWING)

    number = models.CharField(_("受理编号"), max_length=32, unique=True)
    secret_digest = models.CharField(max_length=64)
    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="repairs", verbose_name=_("修复的记录")
    )
    # The department that decided the record (and so decides the repair, unless
    # the rule gives it to the credit office).
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="repairs", verbose_name=_("认定部门")
    )
    rule = models.ForeignKey(
        RepairRule, on_delete=models.PROTECT, related_name="repairs", verbose_name=_("修复规则")
    )
    by_credit_office = models.BooleanField(_("由信用办审核"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.FILED
    )
    applicant_kind = models.CharField(
        _("申请人类别"), max_length=10, choices=Objection.ApplicantKind.choices
    )
    applicant_name = models.CharField(_("申请人名称"), max_length=200)
    applicant_code_masked = models.CharField(_("证件号码（遮蔽）"), max_length=30)
    applicant_phone = models.CharField(_("联系电话"), max_length=30)
    reason = models.TextField(_("申请理由（纠正失信行为、履行义务情况）"))
    # The 信用修复承诺书 the applicant accepted: the text of its commitment.
    commitment_text = models.TextField(_("信用修复承诺书"))
    # The 信用修复型 commitment recorded with the application (the ratio counts it).
    commitment = models.ForeignKey(
        "rights.Commitment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repairs",
        verbose_name=_("信用修复承诺"),
    )
    filed_on = models.DateField(_("提交日期"))
    filed_at = models.DateTimeField(_("提交时间"))
    accept_due = models.DateField(_("受理期限"))
    decide_due = models.DateField(_("办理期限"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    obligations_confirmed = models.BooleanField(_("已核实履行义务"), default=False)
    training_confirmed = models.BooleanField(_("已核实参加培训"), default=False)
    # What the approval did (list entries removed or kept and why, departments told).
    effects = models.JSONField(_("修复效果"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["department", "status"], name="repair_dept_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(status__in=["filed", "reviewing"]),
                name="repair_one_open_per_record",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="repair_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_note=""),
                name="repair_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "rejected"])
                | models.Q(decided_on__isnull=False),
                name="repair_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(obligations_confirmed=True),
                name="repair_approved_obligations",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class RepairAttachment(models.Model):
    """Proof of the fulfilled obligations (e.g. the fine paid): as an
    objection's attachments (`rights.attachments`: type by content, ≤ 10 MB,
    encrypted under `XINYONG_PRIVATE_ROOT`/repairs, never public)."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(
        _("类型"), max_length=40, choices=ObjectionAttachment.ContentType.choices
    )
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("信用修复证明材料")
        verbose_name_plural = _("信用修复证明材料")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__lte=10 * 1024 * 1024), name="repair_attachment_max_size"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


# Commitments and repair training (issue 14 §5–6) live in their own module.
from xinyong.rights.commitment_models import (  # noqa: E402
    Commitment,
    CommitmentText,
    CommitmentType,
    CommitmentUpload,
    TrainingEnrolment,
    TrainingSession,
)

__all__ = [
    "Commitment",
    "CommitmentText",
    "CommitmentType",
    "CommitmentUpload",
    "Objection",
    "ObjectionAttachment",
    "TrainingEnrolment",
    "TrainingSession",
]
