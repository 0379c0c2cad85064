from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.core.admin import AdminAuditActions, AuditedAdmin
from xinyong.core.audit import AuditAction, audit_record
from xinyong.portal.audit_actions import (
    ARTICLE_CHANGE,
    ARTICLE_CREATE,
    ARTICLE_DELETE,
    ARTICLE_PUBLISH,
    ARTICLE_UNPUBLISH,
)
from xinyong.portal.models import Article


@admin.register(Article)
class ArticleAdmin(AuditedAdmin[Article]):
    """The credit office's editor for news and policy: a text area with a few
    plain-text conventions (see the body's help text) and one image. Every add, change,
    delete, publishing and taking down is audited."""

    audit_actions = AdminAuditActions(
        create=ARTICLE_CREATE, change=ARTICLE_CHANGE, delete=ARTICLE_DELETE
    )

    list_display = ["title", "section", "published_at", "is_published"]
    list_filter = ["section", "is_published", "tags"]
    autocomplete_fields = ["tags"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    fieldsets = (
        (None, {"fields": ("section", "title", "summary", "body")}),
        (_("配图"), {"fields": ("image", "image_alt")}),
        (_("发布"), {"fields": ("source", "tags", "published_at", "is_published")}),
    )
    actions = ["publish", "unpublish"]

    def state(self, obj: Article) -> dict[str, Any]:
        return {
            "section": obj.section,
            "title": obj.title,
            "summary": obj.summary,
            "body_chars": len(obj.body),
            "source": obj.source,
            "published_at": obj.published_at.isoformat() if obj.published_at else None,
            "is_published": obj.is_published,
        }

    @transaction.atomic
    def _set_published(
        self, request: HttpRequest, queryset: QuerySet[Article], value: bool, action: AuditAction
    ) -> None:
        for article in queryset.select_for_update().filter(is_published=not value):
            before = self.state(article)
            article.is_published = value
            article.save(update_fields=["is_published"])
            audit_record(
                action=action,
                obj=article,
                before=before,
                after=self.state(article),
                reason=gettext("管理后台"),
                request=request,
            )

    @admin.action(description=_("发布所选文章"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._set_published(request, queryset, True, ARTICLE_PUBLISH)

    @admin.action(description=_("撤下所选文章"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._set_published(request, queryset, False, ARTICLE_UNPUBLISH)

    def formfield_for_dbfield(
        self, db_field: models.Field[object, object], request: HttpRequest, **kwargs: object
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.widget.attrs.update({"rows": 24, "style": "width: 100%; font-size: 15px"})
        return field
