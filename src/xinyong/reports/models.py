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
    """A credit service agency (信用服务机构, 工作要点 三.5) in the credit office's registry
    (备案): its USCC, the 备案编号 the platform gives it, its services and its status. Its
    account is a Department of kind `agency`: its users file the reports it issues
    (AgencyReport) and its API token orders the platform's reports and files its own.
    Only a filed agency may do either (`is_filed`)."""

    class Status(models.TextChoices):
        FILED = "filed", _("已备案")
        SUSPENDED = "suspended", _("暂停")
        REVOKED = "revoked", _("已注销")

    class Service(models.TextChoices):
        REPORT = "report", _("信用报告")
        RATING = "rating", _("信用评级")
        CONSULTING = "consulting", _("信用管理咨询")
        INVESTIGATION = "investigation", _("信用调查")
        REPAIR = "repair", _("信用修复咨询")
        OTHER = "other", _("其他信用服务")

    department = models.OneToOneField(
        "orgs.Department",
        verbose_name=_("机构账户"),
        on_delete=models.PROTECT,
        related_name="report_agency",
    )
    # Null only for an agency registered before the registry kept it (migration 0002).
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True)
    filing_number = models.CharField(_("备案编号"), max_length=20, unique=True, null=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.FILED
    )
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    # The last suspension, revocation or restoration: when and why.
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.CharField(_("状态变更原因"), max_length=500, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    services = models.JSONField(_("服务类型"), default=list, blank=True)
    business_scope = models.CharField(_("经营范围"), max_length=500, blank=True)
    # For the credit office only: never on a public page.
    contact_phone = models.CharField(_("联系电话（不公开）"), max_length=30, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("信用服务机构")
        verbose_name_plural = _("信用服务机构")
        ordering = ["filing_number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["filed", "suspended", "revoked"]),
                name="report_agency_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="filed") | ~models.Q(status_reason=""),
                name="report_agency_stop_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.department)

    @property
    def is_filed(self) -> bool:
        return self.status == self.Status.FILED and self.department.is_active

    def services_display(self) -> str:
        labels = dict(self.Service.choices)
        return "、".join(str(labels.get(s, s)) for s in self.services)


# The credit office's own rule (no statute fixes the period of 信用报告备案): a filing is
# reviewed within 5 working days of its submission.
AGENCY_REPORT_REVIEW_WORKDAYS = 5
# A report handed in for a public decision is valid for at most a year after its issue
# (the usual practice of 信用报告 used in bids and procurement; the credit office's rule).
AGENCY_REPORT_MAX_VALIDITY_DAYS = 366
# The PDF of a filed report: at most 10 MB.
AGENCY_REPORT_MAX_BYTES = 10 * 1024 * 1024


class AgencyReport(models.Model):
    """A credit report an agency issued to an organisation that uses it in a public decision
    (bids, procurement, licences, honours), filed with the credit office (信用报告备案).
    The PDF is kept encrypted beside the platform's reports (`reports.storage`) with its
    SHA-256, so an officer can check that the file a bidder handed in is the one filed."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合信用报告")
        RATING = "rating", _("信用评级报告")
        SPECIAL = "special", _("专项信用报告")

    class Grade(models.TextChoices):
        AAA = "AAA", "AAA"
        AA = "AA", "AA"
        A = "A", "A"
        BBB = "BBB", "BBB"
        BB = "BB", "BB"
        B = "B", "B"
        CCC = "CCC", "CCC"
        CC = "CC", "CC"
        C = "C", "C"

    class Purpose(models.TextChoices):
        BIDDING = "bidding", _("招标投标")
        PROCUREMENT = "procurement", _("政府采购")
        APPROVAL = "approval", _("行政审批")
        HONOURS = "honours", _("评优评先")
        FINANCING = "financing", _("融资信贷")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待备案")
        FILED = "filed", _("已备案")
        RETURNED = "returned", _("已退回")
        REVOKED = "revoked", _("已撤销")

    # Grades that are "good": meeting a black-list entry deserves a warning to the reviewer.
    GOOD_GRADES = ("AAA", "AA", "A")

    agency = models.ForeignKey(
        Agency, verbose_name=_("信用服务机构"), on_delete=models.PROTECT, related_name="filings"
    )
    number = models.CharField(_("报告编号"), max_length=50)
    subject_uscc = models.CharField(_("主体统一社会信用代码"), max_length=18)
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信用主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField(_("主体名称"), max_length=200)
    kind = models.CharField(_("报告类型"), max_length=16, choices=Kind.choices)
    grade = models.CharField(_("信用等级"), max_length=3, choices=Grade.choices, blank=True)
    issued_on = models.DateField(_("出具日期"))
    valid_until = models.DateField(_("有效期至"))
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices)
    file_sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    file_size = models.PositiveIntegerField(_("文件大小"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        "orgs.User",
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_token = models.ForeignKey(
        "orgs.ApiToken",
        verbose_name=_("接口令牌"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Working days from submission (AGENCY_REPORT_REVIEW_WORKDAYS, core.workdays).
    due_on = models.DateField(_("审核期限"))
    reviewed_by = models.ForeignKey(
        "orgs.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    # Why it was returned or revoked.
    reason = models.CharField(_("退回或撤销原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("信用报告备案")
        verbose_name_plural = _("信用报告备案")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # A returned filing may be submitted again under the same number.
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=~models.Q(status="returned"),
                name="agency_report_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "filed", "returned", "revoked"]),
                name="agency_report_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="agency_report_validity_after_issue",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["returned", "revoked"]) | ~models.Q(reason=""),
                name="agency_report_stop_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="filed") | models.Q(filed_on__isnull=False),
                name="agency_report_filed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="agency_report_queue_idx"),
            models.Index(fields=["subject_uscc"], name="agency_report_uscc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.number}"

    @property
    def storage_key(self) -> str:
        return f"agency-{self.pk}"

    @property
    def good_grade(self) -> bool:
        return self.grade in self.GOOD_GRADES
