"""What the purge (遗忘, issue 14 §7) keeps of the negative records it deleted:
nothing personal. Models of `records`, imported by `records.models`.

- `RetentionRule`: how many years after the conduct or penalty ended an
  item's negative records are deleted (per catalog item; without a rule,
  `settings.XINYONG_RETENTION_YEARS`, default 5).
- `PurgeTombstone`: one row per day, item and department purged: the count
  and the span of the dates the records ended, no subject, no content.
- `PurgedRecord`: the id of each deleted record that had been public, so
  that the change feed tells a client that synced it to delete it too
  (`removed`, reason `purged`). An id and an item code: no personal data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """The retention period of an item's negative records. The credit office
    edits it in the admin. The shipped default (5 years after the conduct or
    penalty ended) follows the NDRC's statement of 2019 and 征信业管理条例
    art. 16 (DOMAIN §3); a law may set another period for an item."""

    item = models.OneToOneField(
        "catalog.CatalogItem",
        verbose_name=_("目录事项"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    years = models.PositiveSmallIntegerField(_("保存年限（年）"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("失信信息保存期限")
        verbose_name_plural = _("失信信息保存期限")
        constraints = [
            models.CheckConstraint(condition=models.Q(years__gte=1), name="retention_years_min")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.years}"


class PurgeTombstone(models.Model):
    """What a purge deleted, per day, item and department: a count and dates,
    never a subject or a record's content."""

    purged_on = models.DateField(_("删除日期"))
    item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("目录事项"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+"
    )
    retention_years = models.PositiveSmallIntegerField(_("保存年限（年）"))
    # The span of the days on which the deleted records' conduct or penalty ended.
    ended_from = models.DateField(_("行为或处罚结束日期自"))
    ended_to = models.DateField(_("行为或处罚结束日期至"))
    count = models.PositiveIntegerField(_("删除条数"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("失信信息删除记录")
        verbose_name_plural = _("失信信息删除记录")
        ordering = ["-purged_on", "item", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["purged_on", "item", "department"], name="purge_tombstone_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_from__lte=models.F("ended_to")),
                name="purge_tombstone_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purged_on} {self.item_id}/{self.department_id}: {self.count}"


class PurgedRecord(models.Model):
    """A deleted record that had been published: the change feed's `removed`
    event (reason `purged`). `record_id` is the deleted record's id (ids are
    never reused); `purged_at` orders it in the feed like `updated_at`."""

    record_id = models.BigIntegerField(_("记录编号"), primary_key=True)
    item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    purged_at = models.DateTimeField(_("删除时间"))

    class Meta:
        verbose_name = _("已删除记录")
        verbose_name_plural = _("已删除记录")
        indexes = [models.Index(fields=["purged_at", "record_id"], name="purged_record_feed_idx")]

    def __str__(self) -> str:
        return str(self.record_id)
