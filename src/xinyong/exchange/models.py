"""The exchange with the provincial platform (信用湖北), GB/T 39443-2020.

Outbound messages are `core.OutboxMessage` rows, written by the producers
in their own transactions; their delivery state lives on that row (status,
attempts, next attempt, acknowledgement): one table, one index per question
(what is due, what is dead), no second row to keep in step. What the
exchange itself keeps is here:

- `Cursor`: how far each incremental reader has gone (the records change
  feed and the new subjects going out, each inbound feed coming in);
- `InboundItem` and `InboundRun`: each item received from a feed (its
  digest, so that a repeated feed changes nothing) and each pull (the
  inbound log);
- `Reconciliation`: a day's comparison of what we sent with what the
  province confirmed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cursor(models.Model):
    """A reader's position: opaque text its reader understands (a feed
    position `updated_at|id`, a subject id, a province's cursor)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    position = models.CharField(_("位置"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("读取位置")
        verbose_name_plural = _("读取位置")

    def __str__(self) -> str:
        return f"{self.name}={self.position}"


class InboundRun(models.Model):
    """One pull of one inbound feed (the inbound log)."""

    class Status(models.TextChoices):
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    feed = models.CharField(_("数据源"), max_length=40)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    cursor_before = models.CharField(_("起始位置"), max_length=200, blank=True)
    cursor_after = models.CharField(_("结束位置"), max_length=200, blank=True)
    received = models.PositiveIntegerField(_("收到条数"), default=0)
    applied = models.PositiveIntegerField(_("应用条数"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化条数"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝条数"), default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("接收记录")
        verbose_name_plural = _("接收记录")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applied__lte=models.F("received")),
                name="inbound_run_applied_le_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feed} {self.started_at:%Y-%m-%d %H:%M}"


class InboundItem(models.Model):
    """An item a feed delivered, by the feed's own id: its content digest
    tells a repeated item (nothing to do) from a changed one."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("已应用")
        REJECTED = "rejected", _("已拒绝")

    feed = models.CharField(_("数据源"), max_length=40)
    item_id = models.CharField(_("条目标识"), max_length=100)
    digest = models.CharField(_("内容摘要"), max_length=64)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    detail = models.TextField(_("说明"), blank=True)
    # The item as received: a rejected one is tried again at the next pulls
    # (a repair result that came before its listing).
    content = models.JSONField(_("内容"), default=dict)
    list_entry_id = models.BigIntegerField(_("名单条目"), null=True, blank=True)
    run = models.ForeignKey(
        InboundRun, verbose_name=_("接收记录"), on_delete=models.PROTECT, related_name="items"
    )
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("接收条目")
        verbose_name_plural = _("接收条目")
        constraints = [
            models.UniqueConstraint(fields=["feed", "item_id"], name="inbound_item_unique"),
        ]
        indexes = [
            models.Index(
                fields=["feed", "id"],
                condition=models.Q(outcome="rejected"),
                name="inbound_rejected_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feed}:{self.item_id}"


class Reconciliation(models.Model):
    """What we sent on a day against what the province confirmed for it."""

    day = models.DateField(_("日期"), unique=True)
    sent = models.PositiveIntegerField(_("我方已送达"))
    confirmed = models.PositiveIntegerField(_("省级平台已确认"))
    matched = models.PositiveIntegerField(_("一致"))
    # Idempotency keys: sent by us and not confirmed; confirmed and not
    # marked sent here (a push whose answer was lost: it is re-sent, and the
    # province absorbs the duplicate); and acknowledgement ids that differ.
    unconfirmed = models.JSONField(_("未确认"), default=list)
    unexpected = models.JSONField(_("我方未记为送达"), default=list)
    ack_mismatch = models.JSONField(_("回执不一致"), default=list)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("对账报告")
        verbose_name_plural = _("对账报告")
        ordering = ["-day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(matched__lte=models.F("sent")),
                name="reconciliation_matched_le_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}"

    @property
    def balanced(self) -> bool:
        return not (self.unconfirmed or self.unexpected or self.ack_mismatch or self.error)
