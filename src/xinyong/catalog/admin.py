"""Admin for the credit office's reference data.

Edits here follow the same rules as the staff pages: fields are checked by
`catalog.validation`, a change to an item's fields publishes a new version,
a change to a code list goes through `code_list_update` (which republishes
the items that use it). Versions are read-only.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.catalog import services
from xinyong.catalog.audit_actions import CATALOG_ITEM_CREATE, CATALOG_ITEM_UPDATE
from xinyong.catalog.models import CatalogField, CatalogItem, CatalogItemVersion, CodeList
from xinyong.catalog.schema import item_snapshot
from xinyong.catalog.services import FIELD_SETTINGS
from xinyong.catalog.validation import code_list_problems, field_problems, item_problems
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import admin_user


class CodeListAdminForm(forms.ModelForm[CodeList]):
    class Meta:
        model = CodeList
        fields = ["code", "name", "values", "prefixes", "legal_basis"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        candidate = CodeList(**{k: cleaned.get(k) for k in self.Meta.fields})
        for name, message in code_list_problems(candidate).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned


@admin.register(CodeList)
class CodeListAdmin(admin.ModelAdmin[CodeList]):
    form = CodeListAdminForm
    list_display = ["name", "code", "legal_basis"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: CodeList | None = None) -> list[str]:
        return ["code"] if obj else []

    def save_model(
        self, request: HttpRequest, obj: CodeList, form: forms.Form, change: bool
    ) -> None:
        if not change:
            created = services.code_list_create(
                actor=admin_user(request),
                code=obj.code,
                name=obj.name,
                values=obj.values,
                prefixes=obj.prefixes,
                legal_basis=obj.legal_basis,
                request=request,
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        stored = CodeList.objects.get(pk=obj.pk)
        changes = {name: getattr(obj, name) for name in services.CODE_LIST_SETTINGS}
        services.code_list_update(
            actor=admin_user(request),
            code_list=stored,
            changes=changes,
            note=str(_("管理后台修改")),
            request=request,
        )


class FieldInlineFormSet(
    BaseInlineFormSet[CatalogField, CatalogItem, forms.ModelForm[CatalogField]]
):
    def clean(self) -> None:
        super().clean()
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            kept.append(form)
        fields = [form.instance for form in kept]
        for form in kept:
            field = form.instance
            siblings = [f for f in fields if f is not field]
            for name, message in field_problems(field, siblings).items():
                target = name if name in form.fields else None
                form.add_error(target, message)
        if self.instance.pk is not None:
            problems = item_problems(self.instance, [f.key for f in fields])
            if "key_fields" in problems:
                raise ValidationError(problems["key_fields"])


class CatalogFieldInline(admin.TabularInline[CatalogField, CatalogItem]):
    model = CatalogField
    formset = FieldInlineFormSet
    extra = 0
    fields = ["order", *FIELD_SETTINGS]
    # What is public is changed on the staff pages, where a loosening needs
    # a reason kept in the version history (issue 12.1), not here.
    readonly_fields = ["is_public", "masking", "role"]


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin[CatalogItem]):
    inlines = [CatalogFieldInline]
    list_display = [
        "code",
        "name",
        "category",
        "nature",
        "disclosure",
        "is_active",
        "current_version",
    ]
    list_filter = ["category", "nature", "disclosure", "is_active", "is_builtin", "is_restricted"]
    search_fields = ["code", "name"]
    filter_horizontal = ["departments", "readers"]
    # `disclosure` as the fields' disclosure: on the staff pages (issue 12.1).
    readonly_fields = ["current_version", "is_builtin", "disclosure"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: CatalogItem | None = None
    ) -> list[str]:
        return [*self.readonly_fields, "code"] if obj else list(self.readonly_fields)

    def save_model(
        self, request: HttpRequest, obj: CatalogItem, form: forms.Form, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=CATALOG_ITEM_UPDATE if change else CATALOG_ITEM_CREATE,
            obj=obj,
            after={
                name: form.cleaned_data.get(name)
                for name in form.changed_data
                if name not in ("departments", "readers")
            }
            | (
                # Who may read a restricted item's records: kept in the audit trail.
                {"readers": sorted(d.short_code for d in form.cleaned_data["readers"])}
                if "readers" in form.changed_data
                else {}
            ),
            reason=str(_("管理后台修改")),
            request=request,
        )

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[CatalogItem],
        formsets: list[BaseInlineFormSet[Any, CatalogItem, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        item = form.instance
        fields = list(item.fields.select_related("code_list").order_by("order", "id"))
        current = item.current_version.schema if item.current_version else None
        if fields and item_snapshot(item, fields) != current:
            try:
                services.catalog_item_publish(
                    item=item,
                    actor=admin_user(request),
                    note=str(_("管理后台修改")),
                    request=request,
                )
            except ApplicationError as exc:  # pragma: no cover - the admin is credit office only
                self.message_user(request, exc.message, level="error")


@admin.register(CatalogItemVersion)
class CatalogItemVersionAdmin(admin.ModelAdmin[CatalogItemVersion]):
    list_display = ["item", "number", "created_at", "created_by", "note"]
    list_filter = ["item"]
    readonly_fields = ["item", "number", "schema", "note", "created_at", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: CatalogItemVersion | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: CatalogItemVersion | None = None
    ) -> bool:
        return False
