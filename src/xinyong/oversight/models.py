"""Oversight: the assessment scheme (versioned), the 权力清单, the monthly
figures per department and the monthly 通报 (工作要点 七: 按月通报, 纳入目标责任考核)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentScheme(models.Model):
    """考核方案: weight and target per indicator, as data. A revision is a new
    row with the next version; rows are never changed, so a 通报 and a year's
    assessment can say which version they applied."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    # {indicator code: {"weight": points, "target": rate}}; codes from `indicators.registry`.
    entries = models.JSONField(_("指标权重与目标"))
    # A department scoring at least this is praised (表扬) in the 通报,
    # below `criticise_below` criticised (通报批评).
    praise_at = models.PositiveSmallIntegerField(_("表扬分数线"), default=95)
    criticise_below = models.PositiveSmallIntegerField(_("通报批评分数线"), default=60)
    note = models.TextField(_("修订说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(praise_at__gt=models.F("criticise_below"))
                & models.Q(praise_at__lte=100),
                name="scheme_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class Power(models.Model):
    """One line of a department's 权力清单: a licensing or penalty power. A
    decision is counted for the power when one of its keywords (by default its
    name) appears in the record's matter fields (`indicators.completeness`)."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("行政许可")
        PENALTY = "penalty", _("行政处罚")

    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("权力类型"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("权力编码"), max_length=60)
    name = models.CharField(_("权力名称"), max_length=300)
    basis = models.CharField(_("设定依据"), max_length=500, blank=True)
    keywords = models.CharField(_("匹配关键词"), max_length=500, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    imported_at = models.DateTimeField(_("导入时间"))

    class Meta:
        verbose_name = _("权力清单事项")
        verbose_name_plural = _("权力清单")
        ordering = ["department", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="power_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def terms(self) -> list[str]:
        """The texts that mark a decision of this power."""
        words = [w.strip() for w in self.keywords.replace("；", ";").split(";")]
        return [w for w in words if w] or [self.name]


class MonthlyFigures(models.Model):
    """A department's indicators for one month, as the 通报 computed them
    (kept so the trend and the year's assessment read what was reported)."""

    month = models.DateField(_("月份"))  # the first day of the month
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    # {indicator code: {"numerator": n, "denominator": d}}
    values = models.JSONField(_("指标"))
    score = models.FloatField(_("得分"), null=True, blank=True)
    scheme_version = models.PositiveIntegerField(_("考核方案版本"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("月度指标")
        verbose_name_plural = _("月度指标")
        ordering = ["-month", "department"]
        constraints = [
            models.UniqueConstraint(fields=["month", "department"], name="figures_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id}"


class MonthlyReport(models.Model):
    """The monthly 通报: HTML and PDF as generated; shown on the staff home,
    and on the portal once the credit office publishes it."""

    month = models.DateField(_("月份"), unique=True)  # the first day of the month
    scheme_version = models.PositiveIntegerField(_("考核方案版本"))
    html = models.TextField(_("HTML"))
    pdf = models.BinaryField(_("PDF"))
    summary = models.JSONField(_("摘要"), default=dict)
    generated_at = models.DateTimeField(_("生成时间"))
    published_at = models.DateTimeField(_("门户公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月度通报")
        verbose_name_plural = _("月度通报")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}通报"

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


class FiguresRelease(models.Model):
    """The credit office's publication of a month's figures on the portal
    (政务公开 · 月度数据, /shuju/): separate from the 通报 and its criticism,
    which it publishes (or not) on its own. A month without a row, or with
    `published_at` empty, is not public anywhere."""

    month = models.DateField(_("月份"), unique=True)  # the first day of the month
    published_at = models.DateTimeField(_("门户公开时间"), null=True, blank=True)
    changed_at = models.DateTimeField(_("变更时间"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("月度数据公开")
        verbose_name_plural = _("月度数据公开")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


from xinyong.oversight.campaign_models import Campaign, CampaignTarget  # noqa: E402

__all__ = [
    "AssessmentScheme",
    "Campaign",
    "CampaignTarget",
    "FiguresRelease",
    "MonthlyFigures",
    "MonthlyReport",
    "Power",
]
