"""Admin for list types (the credit office's reference data): the credit
office adds and edits list types without code. Entries are not edited here:
they change only through the procedure's services (staff pages)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.admin import AdminAuditActions, AuditedAdmin
from xinyong.lists.audit_actions import LIST_TYPE_CREATE, LIST_TYPE_DELETE, LIST_TYPE_UPDATE
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
            "suspend_on_objection",
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
class ListTypeAdmin(AuditedAdmin[ListType]):
    form = ListTypeForm
    audit_actions = AdminAuditActions(
        create=LIST_TYPE_CREATE, change=LIST_TYPE_UPDATE, delete=LIST_TYPE_DELETE
    )
    list_display = ["code", "name", "kind", "source", "period_rule", "period_years", "is_active"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["code", "name", "legal_basis"]
    filter_horizontal = ["deciders"]

    def get_readonly_fields(self, request: HttpRequest, obj: ListType | None = None) -> list[str]:
        # Entries, the check and the open data refer to the code.
        return ["code"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: ListType | None = None) -> bool:
        return False  # entries refer to it: deactivate instead

    def state(self, obj: ListType) -> dict[str, Any]:
        # The deciders (many-to-many) are saved after this row and not in it.
        values = {
            name: getattr(obj, name) for name in ListTypeForm.Meta.fields if name != "deciders"
        }
        return {
            name: value if value is None or isinstance(value, bool | int) else str(value)
            for name, value in values.items()
        }

    def save_model(
        self, request: HttpRequest, obj: ListType, form: forms.Form, change: bool
    ) -> None:
        obj.updated_at = clock.now()
        if not change:
            obj.created_at = obj.updated_at
        super().save_model(request, obj, form, change)
