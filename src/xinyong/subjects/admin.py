"""Read-mostly admin: the registry changes through intake and the review queue,
where every change is audited; here the credit office only looks."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from xinyong.orgs.http import admin_user
from xinyong.subjects.models import (
    Subject,
    SubjectAlias,
    SubjectConflict,
    SubjectIdentifier,
    SubjectSighting,
)
from xinyong.subjects.services import subject_log_view


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class IdentifierInline(_ReadOnly, admin.TabularInline[SubjectIdentifier, Subject]):
    model = SubjectIdentifier
    fields = ["kind", "value"]
    extra = 0


class AliasInline(_ReadOnly, admin.TabularInline[SubjectAlias, Subject]):
    model = SubjectAlias
    fields = ["name"]
    extra = 0


@admin.register(Subject)
class SubjectAdmin(_ReadOnly, admin.ModelAdmin[Subject]):
    list_display = ["name", "kind", "uscc", "id_masked", "created_at"]
    list_filter = ["kind"]
    # Exact matches only: they use the indexes (a registry of 10^6 rows).
    search_fields = ["=uscc", "=name", "=identifiers__value"]
    fields = readonly_fields = (
        "kind",
        "name",
        "name_key",
        "uscc",
        "id_masked",
        "created_at",
        "updated_at",
    )
    inlines = [IdentifierInline, AliasInline]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        subject = self.get_object(request, object_id)
        if subject is not None:
            subject_log_view(actor=admin_user(request), subject=subject, request=request)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SubjectConflict)
class SubjectConflictAdmin(_ReadOnly, admin.ModelAdmin[SubjectConflict]):
    list_display = ["pk", "kind", "status", "department", "seen_name", "seen_code", "created_at"]
    list_filter = ["status", "kind", "department"]
    list_select_related = ["department"]
    fields = readonly_fields = (
        "kind",
        "status",
        "subject",
        "other_subject",
        "department",
        "seen_name",
        "seen_code",
        "source",
        "created_at",
        "resolved_at",
        "resolved_by",
        "resolution_note",
    )


@admin.register(SubjectSighting)
class SubjectSightingAdmin(_ReadOnly, admin.ModelAdmin[SubjectSighting]):
    list_display = ["department", "subject", "with_code", "first_seen_at", "last_seen_at"]
    list_filter = ["department", "with_code"]
    list_select_related = ["department", "subject"]
    fields = readonly_fields = (
        "department",
        "subject",
        "with_code",
        "first_seen_at",
        "last_seen_at",
    )
