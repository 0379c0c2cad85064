from typing import Any, Never

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import ActorKind, action_label


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> Never:
        raise TypeError("the audit log is append-only")

    def delete(self) -> Never:
        raise TypeError("the audit log is append-only")


class AuditLog(models.Model):
    """One row per state change or look-up of non-public data. Append-only."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_kind = models.CharField(
        _("操作人类型"), max_length=10, choices=ActorKind.choices, default=ActorKind.SYSTEM
    )
    # The API token that acted (orgs.ApiToken; a plain id: core sits below orgs).
    actor_token_id = models.PositiveIntegerField(_("接口令牌编号"), null=True, blank=True)
    # Kept as text too, so the row still says who it was after a user is removed.
    actor_label = models.CharField(_("操作人名称"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=100, blank=True)
    object_label = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Never:
        raise TypeError("the audit log is append-only")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class CalendarYear(models.Model):
    """A year whose official schedule (State Council notice) the credit office imported.

    `chinesecalendar` ships the years up to its release; a year listed here is
    official too, with its days in `CalendarDay`.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据"), max_length=300, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    imported_at = models.DateTimeField(_("导入时间"))

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.source}"


class CalendarDay(models.Model):
    """A day whose status differs from the plain weekday rule: a holiday on a
    weekday, or a make-up working day (调休上班) on a weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：国庆节"))

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    FAILED = "failed", _("发送失败待重试")
    SENT = "sent", _("已送达")
    DEAD = "dead", _("已停止重试")


class OutboxMessage(models.Model):
    """A change to hand to another system (the provincial exchange), written in
    the same transaction as the change itself (the transactional outbox), so
    that a committed change always has its message and a rolled-back one
    never does. Written by `core.outbox.outbox_enqueue`; delivery (the
    status, `delivered_at`, retries, the acknowledgement) is the exchange's."""

    topic = models.CharField(_("主题"), max_length=100)
    key = models.CharField(_("对象标识"), max_length=200)
    payload = models.JSONField(_("内容"))
    # The same change enqueued twice (a retried request) is one message.
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("创建时间"))
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("投递次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    # Delivery state, the exchange's to write (`exchange.services.delivery`):
    # pending → sent (with the receiver's acknowledgement id), or failed (a
    # retry is due at `next_attempt_at`, exponential backoff) → … → dead after
    # the last attempt (the credit office is told; a person retries it).
    status = models.CharField(
        _("投递状态"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
        db_default=OutboxStatus.PENDING,
    )
    next_attempt_at = models.DateTimeField(_("下次投递时间"), null=True, blank=True)
    ack_id = models.CharField(_("回执编号"), max_length=100, blank=True, db_default="")
    # The department whose item the message carries (a plain id: core imports
    # no app), so that a department sees its own items' exchange; NULL for
    # the credit office's own (new subjects' codes).
    department_id = models.BigIntegerField(_("所属部门"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发送消息")
        verbose_name_plural = _("待发送消息")
        ordering = ["id"]
        indexes = [
            # The exchange reads what is not delivered yet, oldest first.
            models.Index(
                fields=["id"],
                condition=models.Q(delivered_at__isnull=True),
                name="outbox_pending_idx",
            ),
            models.Index(fields=["topic", "key"], name="outbox_topic_key_idx"),
            # The staff pages and the status line count and list by state.
            models.Index(fields=["status", "id"], name="outbox_status_idx"),
            models.Index(fields=["department_id", "id"], name="outbox_department_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"


class RateCount(models.Model):
    """A rate limit's count of one address in one window (`core.ratelimit`),
    shared by every web process on PostgreSQL; on SQLite the counters live in
    a file of their own (`settings.RATE_LIMIT_FILE`). Rows past `expires`
    are removed by the processes as they go."""

    key = models.CharField(max_length=200, primary_key=True)  # rule:address:window
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)  # Unix time, the window's end

    class Meta:
        verbose_name = _("访问频率计数")
        verbose_name_plural = _("访问频率计数")

    def __str__(self) -> str:
        return f"{self.key} {self.count}"


class Tag(models.Model):
    """A topic shared by the portal's articles and the published cases
    (食品药品, 拖欠工资, 守信激励 …): the credit office's vocabulary, kept in
    the admin. What is public is what the credit office attached."""

    name = models.CharField(_("名称"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="tag_name_set")]

    def __str__(self) -> str:
        return self.name
