"""The subject registry: one row per company, organisation, individual business or person.

A person's resident ID number is never stored in clear: `id_digest` is an
HMAC (keyed by the deployment's secret) so that the same number matches,
`id_masked` is what a screen may show, and `id_encrypted` the number under
the data key, for the exchange.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# USCC position 2 under registration authority 1 (机构编制): the government
# bodies of 政务诚信 (国发〔2016〕76号).
GOVERNMENT_CATEGORIES = {"1": _("机关"), "2": _("事业单位")}


class SubjectQuerySet(models.QuerySet["Subject"]):
    def live(self) -> "SubjectQuerySet":
        """Every subject but those an unfinished import created."""
        return self.filter(pending_batch_id__isnull=True)

    def government(self, category: str = "") -> "SubjectQuerySet":
        """Government bodies by their USCC (GB 32100-2015): registration
        authority 1 (机构编制), category 1 (机关, `category="1"`) or 2 (事业单位,
        `category="2"`); both when `category` is empty."""
        categories = [category] if category else list(GOVERNMENT_CATEGORIES)
        condition = models.Q()
        for code in categories:
            condition |= models.Q(uscc__startswith=f"1{code}")
        return self.filter(condition)


class Subject(models.Model):
    class Kind(models.TextChoices):
        LEGAL = "legal", _("法人及非法人组织")
        PERSON = "person", _("自然人")
        INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")

    kind = models.CharField(_("主体类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=200)
    # Matching form of the name: half-width, no spaces, unified brackets.
    name_key = models.CharField(_("名称匹配键"), max_length=200, db_index=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    # HMAC-SHA256 of the resident ID (a person's, or an individual business
    # operator's); unique per kind, so that a person and the 个体工商户 they run
    # without a USCC stay two subjects.
    id_digest = models.CharField(max_length=64, null=True, blank=True)
    id_masked = models.CharField(_("证件号码（遮蔽）"), max_length=30, blank=True)
    # The same number encrypted under the data key (`core.crypto`, AES-GCM), for
    # the exchange with the provincial platform; read only by
    # `services.subject_reveal_id`.
    # db_default: the bulk INSERTs that name their columns may leave it out.
    id_encrypted = models.TextField(_("证件号码（加密）"), blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    # The unfinished import batch that created the subject (a plain id:
    # subjects never import ingest); NULL once that batch is done. Until then
    # no page, search or count shows it (`SubjectQuerySet.live`,
    # `subjects.staging`).
    pending_batch_id = models.BigIntegerField(_("导入批次（未完成）"), null=True, blank=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        ordering = ["name"]
        indexes = [
            # Small: only the subjects of imports that are running.
            models.Index(
                fields=["pending_batch_id"],
                condition=models.Q(pending_batch_id__isnull=False),
                name="subject_pending_idx",
            )
        ]
        constraints = [
            # id_digest first: the resolver looks digests up without the kind.
            models.UniqueConstraint(fields=["id_digest", "kind"], name="subject_id_digest_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SubjectIdentifier(models.Model):
    """A legacy code seen for a subject (工商注册号, 组织机构代码, …), mapped to it."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration_number", _("工商注册号")
        ORGANIZATION = "organization_code", _("组织机构代码")
        TAX = "tax_number", _("税务登记号")
        INSTITUTION = "institution_cert", _("事业单位证书号")
        SOCIAL_ORG = "social_org_cert", _("社会组织登记证号")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("代码类型"), max_length=24, choices=Kind.choices)
    value = models.CharField(_("代码"), max_length=30)

    class Meta:
        verbose_name = _("主体代码")
        verbose_name_plural = _("主体代码")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="subject_identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class SubjectAlias(models.Model):
    """Another name seen for the same subject (by code), e.g. a former name."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)

    class Meta:
        verbose_name = _("主体曾用名")
        verbose_name_plural = _("主体曾用名")
        constraints = [
            models.UniqueConstraint(fields=["subject", "name_key"], name="subject_alias_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SubjectConflict(models.Model):
    """A doubt for the review queue: one code with two names, or one name with two codes."""

    class Kind(models.TextChoices):
        NAME_MISMATCH = "name_mismatch", _("同一代码、名称不同")
        CODE_MISMATCH = "code_mismatch", _("同一名称、代码不同")
        LEGACY_MISMATCH = "legacy_mismatch", _("旧代码对应不同主体")

    class Status(models.TextChoices):
        OPEN = "open", _("待核查")
        CONFIRMED = "confirmed", _("已确认无误")
        CORRECTED = "corrected", _("已更正")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # The subject the department's row resolved to and, for legacy_mismatch,
    # the one the old code points to; for code_mismatch the older and the
    # newer subject of the pair (whichever the row named).
    subject = models.ForeignKey(
        Subject, verbose_name=_("主体"), on_delete=models.CASCADE, related_name="conflicts"
    )
    other_subject = models.ForeignKey(
        Subject,
        verbose_name=_("另一主体"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+"
    )
    seen_name = models.CharField(_("报送名称"), max_length=200)
    seen_code = models.CharField(_("报送代码"), max_length=30, blank=True)
    # What makes two sightings the same doubt: `name:<name_key>` (name_mismatch),
    # `subject:<other id>` (code_mismatch), `<code kind>:<code>` (legacy_mismatch).
    seen_key = models.CharField(max_length=230)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("发现时间"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("主体冲突")
        verbose_name_plural = _("主体冲突")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "status"])]
        constraints = [
            # A re-import does not raise the same doubt twice while it is open,
            # nor after it was confirmed; once corrected, seeing it again is news.
            models.UniqueConstraint(
                fields=["kind", "subject", "department", "seen_key"],
                condition=~models.Q(status="corrected"),
                name="subject_conflict_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.seen_name} {self.seen_code}"


class SubjectSighting(models.Model):
    """A department submitted rows about a subject: the base of the code-quality figures."""

    # No index of its own: the unique (department, subject) index serves it,
    # and every index costs the hot path an insert.
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("报送部门"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("主体"), on_delete=models.CASCADE, related_name="sightings"
    )
    # The rows carried a USCC or a legacy code (not only a name or an ID number).
    with_code = models.BooleanField(_("带代码报送"), default=False)
    first_seen_at = models.DateTimeField(_("首次报送"))
    last_seen_at = models.DateTimeField(_("最近报送"))

    class Meta:
        verbose_name = _("主体报送情况")
        verbose_name_plural = _("主体报送情况")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "subject"], name="subject_sighting_unique"
            )
        ]
        indexes = [models.Index(fields=["department", "last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.department_id} · {self.subject_id}"
