"""专项治理 (工作要点 四): a campaign, its target subjects, and per target the
commitment, the rectification (整改) and the exit (退出). Changed only through
`oversight.campaigns.services`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    name = models.CharField(_("专项名称"), max_length=100)
    basis = models.TextField(_("工作依据"))
    lead_department = models.ForeignKey(
        "orgs.Department", verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("专项治理")
        verbose_name_plural = _("专项治理")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    class Rectification(models.TextChoices):
        NONE = "none", _("未整改")
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已整改")

    class Exit(models.TextChoices):
        IN = "in", _("未退出")
        EXITED = "exited", _("已退出")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项治理"), on_delete=models.PROTECT, related_name="targets"
    )
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("主体名称"), max_length=200)
    # The USCC, or a person's ID number masked: never the number in clear.
    code_kept = models.CharField(_("证件号码"), max_length=30)
    commitment = models.ForeignKey(
        "rights.Commitment",
        verbose_name=_("信用承诺书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed = models.BooleanField(_("已作出承诺"), default=False)
    rectification = models.CharField(
        _("整改状态"), max_length=12, choices=Rectification.choices, default=Rectification.NONE
    )
    rectification_on = models.DateField(_("整改状态日期"), null=True, blank=True)
    rectification_note = models.TextField(_("整改说明"), blank=True)
    exit = models.CharField(_("退出状态"), max_length=8, choices=Exit.choices, default=Exit.IN)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    added_on = models.DateField(_("列入日期"))

    class Meta:
        verbose_name = _("专项治理对象")
        verbose_name_plural = _("专项治理对象")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "subject"], name="campaign_target_unique"),
            models.CheckConstraint(
                condition=models.Q(exit="in") | models.Q(rectification="done"),
                name="campaign_exit_after_rectified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.name}"
