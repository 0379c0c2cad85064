"""Submission batches. Every received row ends accepted (a record) or rejected
(a `RejectedRow` with all its errors): accepted + rejected = received."""

import orjson
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.core.crypto import decrypt_value, encrypt_value, is_encrypted_value


class Batch(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("网页上传")
        API = "api", _("接口报送")
        CLI = "cli", _("命令行导入")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        PROCESSING = "processing", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("目录事项"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        "catalog.CatalogItemVersion",
        verbose_name=_("目录版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("方式"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    failure_reason = models.TextField(_("失败原因"), blank=True)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    # The file exactly as received (relative to MEDIA_ROOT), encrypted under the
    # data key (`core.crypto`); `size` and `digest` (SHA-256) are the plain
    # file's: a retry after a worker died reads it again only if it is intact.
    # "" once the retention period removed it (`ingest.retention`), which
    # sets `original_removed_at`.
    stored_file = models.CharField(_("原始文件"), max_length=500, blank=True)
    # When the retention period (`ingest.retention`) removed the stored file.
    original_removed_at = models.DateTimeField(_("原始文件删除时间"), null=True, blank=True)
    size = models.BigIntegerField(_("大小（字节）"), default=0)
    digest = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # Queued batches (uploads): the task that processes the batch, how many
    # times processing started (a worker that dies mid-way costs one), when
    # the last time began, and the rows the file seems to hold (the progress
    # bar's end; an estimate from the file, None when it cannot tell).
    task_id = models.CharField(_("任务"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    started_at = models.DateTimeField(_("开始处理时间"), null=True, blank=True)
    expected_rows = models.PositiveIntegerField(_("预计行数"), null=True, blank=True)
    header_map = models.JSONField(_("表头对应"), default=dict, blank=True)
    received = models.PositiveIntegerField(_("接收行数"), default=0)
    accepted = models.PositiveIntegerField(_("通过"), default=0)
    rejected = models.PositiveIntegerField(_("退回"), default=0)
    created = models.PositiveIntegerField(_("新增记录"), default=0)
    updated = models.PositiveIntegerField(_("更正记录"), default=0)
    unchanged = models.PositiveIntegerField(_("重复未变"), default=0)
    late = models.PositiveIntegerField(_("逾期报送"), default=0)
    # Accepted rows with a consistency warning (`WarnedRow`).
    warned = models.PositiveIntegerField(_("有提示的行"), default=0, db_default=0)
    # 工作要点 二.5 (重错码率 < 1%): rows naming their subject by a code, and
    # of those the rows rejected because that code is wrong.
    coded_rows = models.PositiveIntegerField(_("含主体代码的行"), default=0)
    wrong_codes = models.PositiveIntegerField(_("主体代码错误的行"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送批次")
        verbose_name_plural = _("报送批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | models.Q(received=models.F("accepted") + models.F("rejected")),
                name="ingest_batch_rows_add_up",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.item_id} {self.original_name}"


def batch_source(batch_id: int) -> str:
    """How an import names its batch to the subject resolution (the
    `source` of the conflicts it queues)."""
    return f"batch:{batch_id}"


# The associated data of a rejected row's encrypted cells, and of its errors.
REJECTED_PURPOSE = b"xinyong.ingest.rejected_row"
REJECTED_ERRORS_PURPOSE = b"xinyong.ingest.rejected_row.errors"


def seal_rejected_values(values: dict[str, object]) -> str:
    """A rejected row's cells as `RejectedRow.values` stores them: encrypted."""
    return encrypt_value(orjson.dumps(values).decode(), REJECTED_PURPOSE)


def seal_rejected_errors(errors: list[dict]) -> str:
    """A rejected row's errors as `RejectedRow.errors` stores them: encrypted,
    since an error quotes the value it is about (an ID number that fails its
    check, a name with a control character)."""
    return encrypt_value(orjson.dumps(errors).decode(), REJECTED_ERRORS_PURPOSE)


class RejectedRow(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField(_("行号"))
    # The row's cells under its own headers, as received: a JSON string holding
    # them encrypted (`seal_rejected_values`; they may hold a person's ID
    # number); read them through `clear_values`. Rows stored before
    # encryption hold the plain object.
    values = models.JSONField(_("原始内容"))
    # [{"field": "处罚决定日期", "value": "2025-02-30", "message": "不是有效日期"}, …]
    # as a JSON string holding them encrypted (`seal_rejected_errors`): read
    # them through `clear_errors`. Rows stored before hold the plain list.
    errors = models.JSONField(_("错误"))

    class Meta:
        verbose_name = _("退回行")
        verbose_name_plural = _("退回行")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="rejected_row_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.batch_id} 第{self.row_number}行"

    def clear_values(self) -> dict[str, object]:
        """The cells, decrypted: for the uploading department and the credit
        office only (the views reach a batch through `batch_get_for`)."""
        if is_encrypted_value(self.values):
            cells: dict[str, object] = orjson.loads(decrypt_value(self.values, REJECTED_PURPOSE))
            return cells
        return dict(self.values)

    def clear_errors(self) -> list[dict]:
        """The errors, decrypted: for the uploading department and the credit office only."""
        if is_encrypted_value(self.errors):
            errors: list[dict] = orjson.loads(decrypt_value(self.errors, REJECTED_ERRORS_PURPOSE))
            return errors
        return list(self.errors)


class WarnedRow(models.Model):
    """An accepted row that looked wrong (issue 12 item 9: subject kind against
    its code): the row stays accepted, and its warnings are listed with the
    batch's result, apart from the rejected rows. Warnings name fields and
    codes of organisations, never a person's identifier."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="warned_rows")
    row_number = models.PositiveIntegerField(_("行号"))
    record_key = models.CharField(_("记录标识"), max_length=300)
    # [{"field": "行政相对人类别", "value": "个体工商户", "message": "…"}, …]
    warnings = models.JSONField(_("提示"))

    class Meta:
        verbose_name = _("有提示的行")
        verbose_name_plural = _("有提示的行")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="warned_row_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.batch_id} 第{self.row_number}行"
