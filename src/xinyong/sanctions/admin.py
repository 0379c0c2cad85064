"""Admin for the credit office's reference data: action domains, memoranda and
their measures. Only the credit office (superuser or 信用办管理员) edits them;
every change is audited (`reference_data.change`)."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from xinyong.core.audit import audit_record
from xinyong.orgs.models import User
from xinyong.sanctions.audit_actions import REFERENCE_CHANGE
from xinyong.sanctions.models import ActionDomain, Measure, Memorandum


def _credit_office(request: HttpRequest) -> bool:
    """The signed-in credit office (the admin's login page asks an anonymous visitor too)."""
    user = request.user
    return isinstance(user, User) and user.is_active and user.is_credit_office


class _CreditOfficeOnly(admin.ModelAdmin[Any]):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _credit_office(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _credit_office(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _credit_office(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # checks and feedback refer to them: deactivate instead

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=REFERENCE_CHANGE,
            obj=None,
            object_id=f"{obj._meta.label}:{obj.pk}",
            object_label=str(obj),
            after={"fields": sorted(form.changed_data), "created": not change},
            request=request,
        )


@admin.register(ActionDomain)
class ActionDomainAdmin(_CreditOfficeOnly):
    list_display = ("code", "name", "feedback_workdays", "order")
    ordering = ("order", "code")


class MeasureInline(admin.TabularInline[Measure, Memorandum]):
    model = Measure
    extra = 0
    fields = (
        "number",
        "domain",
        "content",
        "targets",
        "legal_basis",
        "implementing_body",
        "force",
        "is_reward",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Memorandum)
class MemorandumAdmin(_CreditOfficeOnly):
    list_display = ("title", "document_number", "kind", "list_codes", "is_active")
    list_filter = ("kind", "is_active")
    inlines = [MeasureInline]


@admin.register(Measure)
class MeasureAdmin(_CreditOfficeOnly):
    list_display = ("memorandum", "number", "domain", "content", "force", "is_reward")
    list_filter = ("memorandum", "domain", "force", "is_reward")
    filter_horizontal = ("departments",)
