"""The credit office's view of `reports` in the admin, read-only: the registry of credit
service agencies and their filed reports (changed on the staff pages, through audited
services), and the register of reports (issued by the counter, the API and the CLI,
never edited)."""

from django.contrib import admin
from django.http import HttpRequest

from xinyong.orgs.models import User
from xinyong.reports.models import Agency, AgencyReport, Report


def _credit_office(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.is_active and user.is_credit_office


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    """Read-only: agencies are registered, suspended, revoked and restored on the staff
    pages (/staff/reports/agencies/), through audited services."""

    list_display = ["filing_number", "department", "uscc", "status", "filed_on"]
    list_filter = ["status"]
    search_fields = ["filing_number", "uscc", "department__name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return _credit_office(request)

    def has_change_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return False


@admin.register(AgencyReport)
class AgencyReportAdmin(admin.ModelAdmin[AgencyReport]):
    """Read-only: filings are submitted and reviewed on the staff pages."""

    list_display = ["agency", "number", "subject_name", "kind", "grade", "status", "due_on"]
    list_filter = ["status", "kind", "purpose"]
    search_fields = ["number", "subject_name", "subject_uscc"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: AgencyReport | None = None) -> bool:
        return _credit_office(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AgencyReport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AgencyReport | None = None) -> bool:
        return False


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
