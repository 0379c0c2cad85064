from django.contrib import admin
from django.http import HttpRequest

from xinyong.reports.models import Agency, Report


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["department", "is_active", "note"]
    list_filter = ["is_active"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    """The register, read-only: reports are issued by the counter, the API and the CLI."""

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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False
