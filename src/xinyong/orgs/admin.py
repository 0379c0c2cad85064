from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.models import ApiToken, Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "short_code", "kind", "uscc", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_code", "uscc", "former_names"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "display_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("部门与角色"), {"fields": ("display_name", "department", "role")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("部门与角色"), {"fields": ("display_name", "department", "role")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made on the department page (shown once); here only listed."""

    list_display = [
        "department",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["department"]
    readonly_fields = [
        "department",
        "name",
        "prefix",
        "digest",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
