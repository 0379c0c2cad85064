from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.portal.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    """The credit office's editor for news and policy: a text area with a few
    plain-text conventions (see the body's help text) and one image."""

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

    @admin.action(description=_("发布所选文章"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        queryset.update(is_published=True)

    @admin.action(description=_("撤下所选文章"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        queryset.update(is_published=False)

    def formfield_for_dbfield(
        self, db_field: models.Field[object, object], request: HttpRequest, **kwargs: object
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.widget.attrs.update({"rows": 24, "style": "width: 100%; font-size: 15px"})
        return field
