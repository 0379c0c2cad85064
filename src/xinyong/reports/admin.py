"""The credit office's reference data of `reports`: the credit service agencies allowed
to order reports through the API (each change audited), and the register, read-only
(reports are issued by the counter, the API and the CLI, never edited)."""

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from xinyong.core.audit import audit_record
from xinyong.orgs.models import User
from xinyong.reports.audit_actions import AGENCY_CHANGE
from xinyong.reports.models import Agency, Report


def _credit_office(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.is_active and user.is_credit_office


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["department", "is_active", "note"]
    list_filter = ["is_active"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return _credit_office(request)

    def has_change_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return _credit_office(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _credit_office(request)

    def has_delete_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return False  # reports refer to its department's token: deactivate instead

    def save_model(
        self, request: HttpRequest, obj: Agency, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=AGENCY_CHANGE,
            obj=obj,
            after={"fields": sorted(form.changed_data), "created": not change},
            request=request,
        )


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = [
        "number",
        "kind",
        "subject_label",
        "purpose",
        "requested_label",
        "status",
        "issued_on",
    ]
    list_filter = ["kind", "status", "channel"]
    search_fields = ["number", "subject_label"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return _credit_office(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False
