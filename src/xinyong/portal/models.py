"""The portal's own content: news and policy articles that the credit office edits.

Everything else the portal shows (subjects, 双公示 records) belongs to other
apps and is read through their selectors (`records.selectors`, `subjects`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# The first bytes of each accepted format: an upload is checked by content,
# not only by its name (no Pillow needed).
_IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF")


def validate_image(upload: "File[bytes]") -> None:
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("图片不能超过 5 MB"), code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(12)
    upload.seek(position)
    if not any(head.startswith(sig) for sig in _IMAGE_SIGNATURES) or (
        head.startswith(b"RIFF") and head[8:12] != b"WEBP"
    ):
        raise ValidationError(_("只接受 JPEG、PNG、GIF 或 WebP 图片"), code="not_image")


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, now: dt.datetime) -> "ArticleQuerySet":
        """What the public may read: published, with a publication time not in the future."""
        return self.filter(is_published=True, published_at__lte=now)


class Article(models.Model):
    """A news item, policy text or integrity-education piece of the portal."""

    class Section(models.TextChoices):
        NEWS = "news", _("信用动态")
        POLICY = "policy", _("政策法规")
        EDUCATION = "education", _("诚信宣传")

    section = models.CharField(_("栏目"), max_length=12, choices=Section.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(
        _("摘要"), max_length=300, blank=True, help_text=_("列表页显示；留空则取正文开头")
    )
    body = models.TextField(
        _("正文"),
        help_text=_("纯文本：空行分段；以“## ”开头的行为小标题；以“- ”开头的行为列表项"),
    )
    image = models.FileField(
        _("配图"),
        upload_to="articles/%Y/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image],
        help_text=_("JPEG、PNG、GIF 或 WebP，不超过 5 MB"),
    )
    image_alt = models.CharField(
        _("配图说明"), max_length=200, blank=True, help_text=_("供读屏软件朗读的图片文字说明")
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    published_at = models.DateTimeField(
        _("发布时间"), default=clock.now, help_text=_("设为将来的时间即定时发布")
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("标签"), blank=True, related_name="articles"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["section", "is_published", "published_at"])]

    def __str__(self) -> str:
        return self.title
