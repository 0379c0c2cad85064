"""Admin for list types (the credit office's reference data): the credit
office adds and edits list types without code. Entries are not edited here:
they change only through the procedure's services (staff pages)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.lists.audit_actions import LIST_TYPE_CREATE, LIST_TYPE_UPDATE
from xinyong.lists.models import ListType


class ListTypeForm(forms.ModelForm[ListType]):
    class Meta:
        model = ListType
        fields = [
            "code",
            "name",
            "kind",
            "legal_basis",
            "standard",
            "deciders",
            "period_rule",
            "period_years",
            "early_removal",
            "early_removal_after_months",
            "removal_procedure",
            "remedies",
            "measures",
            "source",
            "feed_item",
            "publish_persons",
            "is_public",
            "notice_workdays",
            "objection_answer_workdays",
            "note",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rule, years = cleaned.get("period_rule"), cleaned.get("period_years")
        if rule == ListType.PeriodRule.FIXED_YEARS and not years:
            self.add_error("period_years", _("期限规则为“固定年限”时，请填写期限（年）"))
        source, item = cleaned.get("source"), cleaned.get("feed_item")
        if source == ListType.Source.CATALOG_ITEM and item is None:
            self.add_error("feed_item", _("来源为“由目录事项汇集”时，请选择汇集的目录事项"))
        if source != ListType.Source.CATALOG_ITEM and item is not None:
            self.add_error("feed_item", _("只有来源为“由目录事项汇集”的名单才关联目录事项"))
        return cleaned


@admin.register(ListType)
class ListTypeAdmin(admin.ModelAdmin[ListType]):
    form = ListTypeForm
    list_display = ["code", "name", "kind", "source", "period_rule", "period_years", "is_active"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["code", "name", "legal_basis"]
    filter_horizontal = ["deciders"]

    def get_readonly_fields(self, request: HttpRequest, obj: ListType | None = None) -> list[str]:
        # Entries, the check and the open data refer to the code.
        return ["code"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: ListType | None = None) -> bool:
        return False  # entries refer to it: deactivate instead

    def save_model(
        self, request: HttpRequest, obj: ListType, form: forms.Form, change: bool
    ) -> None:
        now = clock.now()
        obj.updated_at = now
        if not change:
            obj.created_at = now
        before = None
        if change:
            stored = ListType.objects.get(pk=obj.pk)
            before = {name: _jsonable(getattr(stored, name, None)) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        audit_record(
            action=LIST_TYPE_UPDATE if change else LIST_TYPE_CREATE,
            obj=obj,
            before=before,
            after={name: _jsonable(form.cleaned_data.get(name)) for name in form.changed_data},
            reason=str(_("管理后台修改")),
            request=request,
        )


def _jsonable(value: object) -> object:
    if hasattr(value, "all"):  # a many-to-many manager or the form's queryset
        return sorted(str(v) for v in value.all())
    if hasattr(value, "pk"):
        return str(value)
    return value
