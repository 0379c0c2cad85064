"""The publication gate and the exports' state, kept apart from `records.models`
(which re-exports them): `PublishingBatch` holds a batch's records out of
every view while they turn active (`records.staging`), `NOT_PUBLISHING` is
that condition, and `ExportState` says what the public CSV files must not be
older than (`records.exports`)."""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Subquery
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy as _

from xinyong.core.db import dialect


class ExportState(models.Model):
    """One row: what the public CSV files (`records.exports`) must not be
    older than. A withdrawal takes a record out of the public view at once
    (行政处罚法 art. 48), so a file built before the last withdrawal is not
    served until the build that withdrawal queued replaces it."""

    withdrawn_at = models.DateTimeField(_("最近一次撤回"), null=True)

    class Meta:
        verbose_name = _("公示数据文件状态")
        verbose_name_plural = _("公示数据文件状态")

    def __str__(self) -> str:
        return f"withdrawn_at={self.withdrawn_at}"


class PublishingBatch(models.Model):
    """An import batch whose staged records are being turned active, a
    chunk per transaction, just before the batch is done
    (`records.staging`): its records stay out of every view until the
    batch's last transaction removes this row. Usually empty; one row per
    import at its end."""

    batch_id = models.BigIntegerField(_("批次"), primary_key=True)
    # When its records began to turn active: the change feed holds its
    # position before this moment until the batch is done.
    since = models.DateTimeField(_("开始生效时间"))

    class Meta:
        verbose_name = _("生效中的导入批次")
        verbose_name_plural = _("生效中的导入批次")

    def __str__(self) -> str:
        return str(self.batch_id)


class NotPublishing(Func):
    """The condition "the record is not of a batch whose records are turning
    active". SQL intent: a list over the (usually empty) gate table, run
    once, checked on each row an index gave: `COALESCE(source_batch_id, 0)
    NOT IN (…)` (SQLite), `<> ALL(ARRAY(…))` (PostgreSQL), which the planner
    takes as keeping every row, so the plans of the public reads are those
    without it (`Dialect.not_in_subquery`)."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self) -> None:
        super().__init__(
            F("source_batch_id"), Subquery(PublishingBatch.objects.order_by().values("batch_id"))
        )

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        return dialect(connection).not_in_subquery(column, ids), (*column_params, *ids_params)


# Not a record of a batch behind its gate (`records.staging`).
NOT_PUBLISHING = models.Q(NotPublishing())
