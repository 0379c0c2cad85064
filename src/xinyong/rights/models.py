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
