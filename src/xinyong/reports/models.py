"""Credit reports issued by the platform, and the credit service agencies that may order
them through the API.

A `Report` row is the register the issue asks for: who asked, for whom, why, which kind,
its number and the hash and signature of the file. The file itself (the signed PDF and the
HTML it was printed from) is kept encrypted under `XINYONG_PRIVATE_ROOT/reports/`
(`reports.storage`): a natural person's report holds data that is not public.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# 发改财金〔2025〕565号: the subject chooses the span of a 专项信用报告, reportedly at most
# 5 years (DOMAIN §8, unconfirmed: a setting would be the next step if it changes).
SPECIAL_MAX_YEARS = 5


class Report(models.Model):
    class Kind(models.TextChoices):
        # 《公共信用信息报告标准》(2022), 法人和非法人组织 edition.
        GENERAL = "general", _("法人和非法人组织公共信用信息报告")
        PERSON = "person", _("自然人公共信用信息报告")
        # 发改财金〔2025〕565号: replaces the 无违法违规证明.
        SPECIAL = "special", _("专项信用报告（无违法违规记录证明）")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        ISSUED = "issued", _("已出具")
        FAILED = "failed", _("生成失败")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("服务窗口")
        API = "api", _("信用服务机构接口")
        CLI = "cli", _("命令行")

    class PersonBasis(models.TextChoices):
        """Why a natural person's report may be issued at all."""

        NONE = "", _("不适用")
        # The person in person at the counter, the ID number checked against the registry.
        SELF = "self", _("本人到窗口申请（已核验身份）")
        # Staff of the credit office acting on the person's written authorisation.
        AUTHORISED = "authorised", _("经本人书面授权查询")

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    kind = models.CharField(_("报告类型"), max_length=12, choices=Kind.choices)
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信用主体"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    # What the public verification page may show: the name (masked for a person) and the
    # USCC (a person's ID number masked), as they were when the report was asked for.
    subject_label = models.CharField(_("主体（公开显示）"), max_length=200)
    subject_code = models.CharField(_("主体代码（公开显示）"), max_length=30, blank=True)
    purpose = models.CharField(_("查询事由"), max_length=200)
    person_basis = models.CharField(
        _("自然人报告依据"), max_length=12, choices=PersonBasis.choices, blank=True, default=""
    )
    authorisation = models.CharField(_("授权书编号"), max_length=100, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(
        "orgs.User",
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_token = models.ForeignKey(
        "orgs.ApiToken",
        verbose_name=_("接口令牌"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who asked, as the audit log names them (a user, an agency's system, an OS account).
    requested_label = models.CharField(_("申请人"), max_length=200)
    requested_at = models.DateTimeField(_("申请时间"))
    # 专项: the span in years (1–5) and the areas (department short codes; empty: all).
    years = models.PositiveSmallIntegerField(_("查询年限"), null=True, blank=True)
    areas = models.JSONField(_("查询领域"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    attempts = models.PositiveSmallIntegerField(_("生成次数"), default=0)
    # The django-tasks result of the queued generation ("" until enqueued; the CLI runs inline).
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    issued_at = models.DateTimeField(_("出具时间"), null=True, blank=True)
    issued_on = models.DateField(_("出具日期"), null=True, blank=True)
    # SHA-256 (hex) of the PDF before its signature trailer, the Ed25519 signature
    # (base64) and the signing key's id (reports.signing).
    content_hash = models.CharField(_("内容摘要（SHA-256）"), max_length=64, blank=True)
    signature = models.CharField(_("签名"), max_length=120, blank=True)
    key_id = models.CharField(_("签名密钥编号"), max_length=16, blank=True)
    pdf_size = models.PositiveIntegerField(_("文件大小"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="issued")
                | (
                    ~models.Q(content_hash="")
                    & ~models.Q(signature="")
                    & models.Q(issued_at__isnull=False, issued_on__isnull=False)
                ),
                name="report_issued_is_signed",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="special")
                | models.Q(years__gte=1, years__lte=SPECIAL_MAX_YEARS),
                name="report_special_span",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="person") & ~models.Q(person_basis=""))
                | (~models.Q(kind="person") & models.Q(person_basis="")),
                name="report_person_has_basis",
            ),
        ]
        indexes = [models.Index(fields=["subject", "requested_at"], name="report_subject_idx")]

    def __str__(self) -> str:
        return f"{self.number}（{self.subject_label}）"

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON


class Agency(models.Model):
    """A credit service agency (信用服务机构, 工作要点 三.5) allowed to order reports
    through the API with its department's token. The credit office registers it in
    the admin; its token is made like any department's."""

    department = models.OneToOneField(
        "orgs.Department",
        verbose_name=_("机构（以部门账户登记）"),
        on_delete=models.PROTECT,
        related_name="report_agency",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注（备案号等）"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("信用服务机构")
        verbose_name_plural = _("信用服务机构")

    def __str__(self) -> str:
        return str(self.department)
