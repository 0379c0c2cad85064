"""Credit commitments (信用承诺) and repair training (信用修复培训), issue 14 §5–6.

Commitments (国办发〔2019〕35号, 〔2020〕42号 告知承诺制): a subject signs the
text of one type; the text is data (`CommitmentText`, one immutable row per
version, the credit office publishes a new version rather than editing one),
and a commitment keeps the version and a copy of the exact text it was
signed against. Whether it is kept is tracked:

    履约中 ──▶ 已履约
       └────▶ 违诺 (a 违背信用承诺 record is created through the catalog)

Training: sessions (date, place or online, capacity), enrolments, attendance
and a numbered certificate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.models import Department, User
from xinyong.records.models import Record
from xinyong.subjects.models import Subject


class CommitmentType(models.TextChoices):
    APPROVAL = "approval", _("审批替代型")
    TOLERANCE = "tolerance", _("容缺受理型")
    VOLUNTARY = "voluntary", _("主动型")
    REPAIR = "repair", _("信用修复型")
    INDUSTRY = "industry", _("行业自律型")


# Published on the portal (issue 14 §5): the others are kept by the receiving department.
PUBLISHED_TYPES = (CommitmentType.VOLUNTARY, CommitmentType.REPAIR)


class CommitmentText(models.Model):
    """One version of the text of a commitment type. Never edited once created:
    a change is a new version (`services.commitments.commitment_text_publish`)."""

    type = models.CharField(_("承诺类型"), max_length=12, choices=CommitmentType.choices)
    version = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("承诺内容"))
    # A signed paper dated on day D was signed against the version in effect on D.
    effective_from = models.DateField(_("启用日期"))
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("信用承诺书文本")
        verbose_name_plural = _("信用承诺书文本")
        ordering = ["type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["type", "version"], name="commitment_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} v{self.version}"


class CommitmentUpload(models.Model):
    """A department's file of signed commitments, as received: every row
    accepted (a commitment) or rejected with its reasons (`errors`).

    The upload answers at once; a worker reads the file (kept encrypted,
    `stored_file`, until the upload ends) a chunk of rows per transaction,
    `position` being the last file row done: a worker killed on the way
    leaves whole chunks, and the next one goes on from there. The
    commitments of an upload are published, and sent to the provincial
    platform, only when it is done (`services.commitment_upload`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # The upload as received, encrypted (core.crypto), under MEDIA_ROOT; removed at the end.
    stored_file = models.CharField(_("保存的文件"), max_length=255, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    expected_rows = models.PositiveIntegerField(_("预计行数"), null=True, blank=True)
    # The last row of the file (1: the header) whose outcome is committed.
    position = models.PositiveIntegerField(_("已处理到第几行"), default=0)
    received = models.PositiveIntegerField(_("收到行数"), default=0)
    accepted = models.PositiveIntegerField(_("接收行数"), default=0)
    rejected = models.PositiveIntegerField(_("退回行数"), default=0)
    # [{"row": 3, "field": "签署日期", "value": "…", "message": "…"}, …]
    errors = models.JSONField(_("退回原因"), default=list)
    failure_reason = models.TextField(_("无法读取的原因"), blank=True)
    created_at = models.DateTimeField(_("上传时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用承诺上传批次")
        verbose_name_plural = _("信用承诺上传批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received=models.F("accepted") + models.F("rejected")),
                name="commitment_upload_rows_add_up",
            )
        ]
        indexes = [
            # The workers' recovery: uploads not yet ended.
            models.Index(
                fields=["status"],
                condition=models.Q(status__in=["queued", "running"]),
                name="commitment_upload_open_idx",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Commitment(models.Model):
    class Status(models.TextChoices):
        SIGNED = "signed", _("履约中")
        FULFILLED = "fulfilled", _("已履约")
        BREACHED = "breached", _("违诺")

    class SignerKind(models.TextChoices):
        LEGAL = "legal", _("法人及非法人组织")
        PERSON = "person", _("自然人")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("门户网站")
        UPLOAD = "upload", _("部门上传")
        API = "api", _("部门系统接口")

    number = models.CharField(_("承诺书编号"), max_length=32, unique=True)
    type = models.CharField(_("承诺类型"), max_length=12, choices=CommitmentType.choices)
    text = models.ForeignKey(
        CommitmentText, on_delete=models.PROTECT, related_name="+", verbose_name=_("承诺书文本")
    )
    # The exact text signed, kept with the commitment whatever happens to the texts.
    text_body = models.TextField(_("所签承诺内容"))
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("信用主体")
    )
    # The receiving department: it tracks fulfilment and decides a breach (谁认定).
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("受理部门")
    )
    signer_kind = models.CharField(_("承诺主体类别"), max_length=10, choices=SignerKind.choices)
    signer_name = models.CharField(_("承诺主体名称"), max_length=200)
    # A USCC in clear; a resident ID number masked only (matched on the subject's digest).
    signer_code_masked = models.CharField(_("证件号码（遮蔽）"), max_length=30)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    matter = models.CharField(_("承诺事项"), max_length=300, blank=True)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    upload = models.ForeignKey(
        CommitmentUpload, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField(_("签署日期"))
    status = models.CharField(
        _("履约状态"), max_length=10, choices=Status.choices, default=Status.SIGNED
    )
    is_published = models.BooleanField(_("在门户公示"), default=False)
    decided_on = models.DateField(_("履约认定日期"), null=True, blank=True)
    facts = models.TextField(_("履约或违诺事实"), blank=True)
    breach_record = models.ForeignKey(
        Record,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("违诺记录"),
    )
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        ordering = ["-signed_on", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="commitment_dept_status_idx"),
            models.Index(fields=["subject", "type"], name="commitment_subject_type_idx"),
            models.Index(fields=["is_published", "-signed_on"], name="commitment_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="signed")
                | (models.Q(decided_on__isnull=False) & ~models.Q(facts="")),
                name="commitment_decided_has_facts",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="breached") | models.Q(breach_record__isnull=False),
                name="commitment_breach_has_record",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_published=True) | models.Q(type__in=["voluntary", "repair"]),
                name="commitment_published_types",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TrainingSession(models.Model):
    class Mode(models.TextChoices):
        ONSITE = "onsite", _("现场")
        ONLINE = "online", _("线上")

    title = models.CharField(_("培训名称"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    mode = models.CharField(_("形式"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("地点或线上地址"), max_length=300)
    capacity = models.PositiveIntegerField(_("名额"))
    organiser = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("信用修复培训")
        verbose_name_plural = _("信用修复培训")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="training_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class TrainingEnrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已报名")
        ATTENDED = "attended", _("已参训")
        ABSENT = "absent", _("缺席")

    class Channel(models.TextChoices):
        STAFF = "staff", _("工作人员登记")
        PORTAL = "portal", _("门户网站报名")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="enrolments"
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("信用主体")
    )
    participant = models.CharField(_("参训人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    channel = models.CharField(_("报名方式"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    certificate_number = models.CharField(
        _("结业证书编号"), max_length=32, unique=True, null=True, blank=True
    )
    enrolled_at = models.DateTimeField(_("报名时间"))
    marked_on = models.DateField(_("考勤登记日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "subject"], name="training_one_per_subject"),
            models.CheckConstraint(
                condition=models.Q(status="attended", certificate_number__isnull=False)
                | (~models.Q(status="attended") & models.Q(certificate_number__isnull=True)),
                name="training_certificate_iff_attended",
            ),
        ]
        indexes = [models.Index(fields=["subject", "status"], name="training_subject_status_idx")]

    def __str__(self) -> str:
        return f"{self.session} · {self.participant}"
