"""政府违约失信投诉: complaints of government breach filed by the public.

国发〔2016〕76号 (政务诚信) asks for a channel where enterprises and citizens
complain of a government body's broken contracts and promises. A complaint
names the body (机关 or 事业单位, by its USCC), is accepted or refused by the
credit office within `ACCEPT_WITHIN_WORKDAYS`, routed to a department, and
closed with an outcome within `HANDLE_WITHIN_WORKDAYS` of its acceptance.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# District rule (神农架林区政府违约失信投诉处理, after 《优化营商环境条例》
# art. 31 and the objection deadlines): accepted or refused within 5 working
# days of filing, handled within 20 working days of acceptance.
ACCEPT_WITHIN_WORKDAYS = 5
HANDLE_WITHIN_WORKDAYS = 20


class GovComplaint(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("办理中")
        REJECTED = "rejected", _("不予受理")
        CLOSED = "closed", _("已办结")

    class Outcome(models.TextChoices):
        NONE = "", _("未认定")
        SUBSTANTIATED = "substantiated", _("投诉属实")
        PARTLY = "partly", _("部分属实")
        UNFOUNDED = "unfounded", _("投诉不属实")

    class ComplainantKind(models.TextChoices):
        LEGAL = "legal", _("法人及非法人组织")
        PERSON = "person", _("自然人")

    number = models.CharField(_("投诉编号"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    complainant_kind = models.CharField(
        _("投诉人类别"), max_length=10, choices=ComplainantKind.choices
    )
    complainant_name = models.CharField(_("投诉人名称"), max_length=200)
    # A USCC as given; a resident ID number masked (never stored in clear).
    complainant_code_masked = models.CharField(_("投诉人证件号码（遮蔽）"), max_length=30)
    complainant_phone = models.CharField(_("联系电话"), max_length=30)
    # Optional: the complainant is told of each step by email when given.
    complainant_email = models.EmailField(_("电子邮箱"), max_length=254, blank=True)
    # SHA-256 of the secret shown once at filing (the public status page).
    secret_digest = models.CharField(max_length=64, default="")
    body_name = models.CharField(_("被投诉单位"), max_length=200)
    body_uscc = models.CharField(_("被投诉单位统一社会信用代码"), max_length=18)
    # The registered government body, when its USCC is known here.
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信用主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.CharField(_("合同或承诺"), max_length=300)
    facts = models.TextField(_("违约失信事实"))
    filed_on = models.DateField(_("提交日期"))
    filed_at = models.DateTimeField(_("提交时间"))
    accept_due = models.DateField(_("受理期限"))
    handle_due = models.DateField(_("办结期限"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    outcome = models.CharField(
        _("处理结果"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    outcome_note = models.TextField(_("处理意见"), blank=True)
    # The 政务失信 record (ZWSX_WY) created when the complaint is substantiated
    # (SET_NULL: the record's purge at the end of its retention does not wait).
    breach_record = models.ForeignKey(
        "records.Record",
        verbose_name=_("政务失信记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("政府违约失信投诉")
        verbose_name_plural = _("政府违约失信投诉")
        ordering = ["accept_due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(refusal_reason=""),
                name="gov_complaint_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (~models.Q(outcome="") & models.Q(closed_on__isnull=False)),
                name="gov_complaint_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "rejected"])
                | (
                    models.Q(department__isnull=False)
                    & models.Q(accepted_on__isnull=False)
                    & models.Q(handle_due__isnull=False)
                ),
                name="gov_complaint_accepted_routed",
            ),
        ]
        indexes = [models.Index(fields=["status", "accept_due"])]

    def __str__(self) -> str:
        return f"{self.number} {self.body_name}"


class ComplaintAttachment(models.Model):
    """Evidence of a complaint, checked by content and stored encrypted
    (`core.crypto`) under XINYONG_PRIVATE_ROOT, as the objections' are."""

    complaint = models.ForeignKey(
        GovComplaint, on_delete=models.CASCADE, related_name="attachments"
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("投诉证明材料")
        verbose_name_plural = _("投诉证明材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
