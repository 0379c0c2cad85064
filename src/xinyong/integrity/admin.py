from django.contrib import admin

from xinyong.integrity.models import GovComplaint


@admin.register(GovComplaint)
class GovComplaintAdmin(admin.ModelAdmin[GovComplaint]):
    list_display = ("number", "body_name", "status", "department", "accept_due", "handle_due")
    list_filter = ("status",)
    search_fields = ("number", "body_name", "body_uscc")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
