"""Records of every catalog item in one table.

Common, indexed columns serve lists and searches; the item's own fields are
in `data` (JSON), keyed by field key. A record's key is (department, item,
document number — or the item's key fields): the same row submitted twice is one record; a changed
row makes a new revision, and the previous content moves to
`RecordRevision` — nothing is overwritten without a trace.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordQuerySet(models.QuerySet):
    def for_department(self, department_id: int):
        return self.filter(department_id=department_id)

    def active(self):
        return self.filter(status=Record.Status.ACTIVE)


class Record(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        WITHDRAWN = "withdrawn", _("已撤销")

    item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("目录事项"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        "catalog.CatalogItemVersion",
        verbose_name=_("目录版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("信用主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    doc_number = models.CharField(_("文书号"), max_length=200)
    # The record's identity within its department and item: the document number,
    # or, for items whose documents list many subjects (e.g. an A-level taxpayer
    # announcement), the values of the item's `key_fields` joined by "|".
    record_key = models.CharField(_("记录标识"), max_length=300)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    data = models.JSONField(_("字段内容"))
    # SHA-256 of the canonical content: re-submitting the same row changes nothing.
    content_hash = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    submitted_on = models.DateField(_("报送日期"))
    # 工作要点（神信用办〔2018〕1号）二.2: submitted within 7 days of the decision.
    submit_due = models.DateField(_("报送截止日"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    # The ingest batch and row it came from (a plain id: records never import ingest).
    source_batch_id = models.BigIntegerField(_("来源批次"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "item", "record_key"], name="record_key_unique"
            )
        ]
        indexes = [
            models.Index(fields=["item", "decision_date"]),
            models.Index(
                fields=["department"], condition=models.Q(is_late=True), name="record_late_idx"
            ),
            models.Index(fields=["subject", "item"]),
        ]

    def __str__(self) -> str:
        return self.doc_number


class RecordRevision(models.Model):
    """A record's earlier content, kept when a correction replaced it."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("修订号"))
    version = models.ForeignKey(
        "catalog.CatalogItemVersion", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("字段内容"))
    content_hash = models.CharField(max_length=64)
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_batch_id = models.BigIntegerField(null=True, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    valid_from_at = models.DateTimeField(_("生效时间"))
    replaced_at = models.DateTimeField(_("被替换时间"))

    class Meta:
        verbose_name = _("记录修订")
        verbose_name_plural = _("记录修订")
        ordering = ["record", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["record", "revision"], name="record_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.revision}"
