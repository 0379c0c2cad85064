"""Admin for the disclosure rule sets (the credit office's reference data).

A rule set's JSON is checked by `disclosure.rules_problems`; two general
sets of the same item may not cover the same decision date. Codes are fixed
once created (records store them) and sets are never deleted: end one with
`effective_to` instead. Every change is audited.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.records.audit_actions import (
    DISCLOSURE_RULE_SET_CREATE,
    DISCLOSURE_RULE_SET_UPDATE,
    RETENTION_RULE_SAVE,
)
from xinyong.records.disclosure import NO_RULE, VALIDITY, rules_problems
from xinyong.records.models import DisclosureRuleSet, PurgeTombstone, RetentionRule


class DisclosureRuleSetForm(forms.ModelForm[DisclosureRuleSet]):
    class Meta:
        model = DisclosureRuleSet
        fields = [
            "code",
            "name",
            "basis",
            "scope",
            "effective_from",
            "effective_to",
            "items",
            "departments",
            "rules",
            "note",
        ]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code in (VALIDITY, NO_RULE):
            raise forms.ValidationError(_("“%(code)s”是保留字，请换一个编码") % {"code": code})
        return code

    def clean_rules(self) -> Any:  # noqa: ANN401 - the rule set's JSON, checked by rules_problems
        rules = self.cleaned_data["rules"]
        problems = rules_problems(rules)
        if problems:
            raise forms.ValidationError(problems)
        return rules

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and start > end:
            self.add_error("effective_to", _("适用决定日期至早于适用决定日期自"))
            return cleaned
        if cleaned.get("scope") != DisclosureRuleSet.Scope.GENERAL or not cleaned.get("items"):
            return cleaned
        others = DisclosureRuleSet.objects.filter(
            scope=DisclosureRuleSet.Scope.GENERAL, items__in=cleaned["items"]
        ).distinct()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        for other in others:
            if (start is None or other.effective_to is None or start <= other.effective_to) and (
                end is None or other.effective_from is None or other.effective_from <= end
            ):
                raise forms.ValidationError(
                    _(
                        "与通用规则“%(other)s”的适用日期重叠：同一目录事项的通用规则不能同时适用于同一决定日期"
                    )
                    % {"other": other}
                )
        return cleaned


@admin.register(DisclosureRuleSet)
class DisclosureRuleSetAdmin(admin.ModelAdmin[DisclosureRuleSet]):
    form = DisclosureRuleSetForm
    list_display = ["code", "name", "scope", "effective_from", "effective_to", "updated_at"]
    list_filter = ["scope"]
    search_fields = ["code", "name", "basis"]
    filter_horizontal = ["items", "departments"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: DisclosureRuleSet | None = None
    ) -> list[str]:
        return [*self.readonly_fields, "code"] if obj else list(self.readonly_fields)

    def has_delete_permission(
        self, request: HttpRequest, obj: DisclosureRuleSet | None = None
    ) -> bool:
        # Records store the code: end a set with effective_to instead.
        return False

    def save_model(
        self, request: HttpRequest, obj: DisclosureRuleSet, form: forms.Form, change: bool
    ) -> None:
        obj.updated_at = clock.now()
        before = None
        if change:
            stored = DisclosureRuleSet.objects.get(pk=obj.pk)
            before = {name: _jsonable(getattr(stored, name, None)) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        audit_record(
            action=DISCLOSURE_RULE_SET_UPDATE if change else DISCLOSURE_RULE_SET_CREATE,
            obj=obj,
            before=before,
            after={name: _jsonable(form.cleaned_data.get(name)) for name in form.changed_data},
            reason=str(_("管理后台修改")),
            request=request,
        )


def _jsonable(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "all"):  # a many-to-many manager or the form's queryset
        return sorted(str(v) for v in value.all())
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return value


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin[RetentionRule]):
    """保存期限 per catalog item (遗忘, `records.purge`); audited."""

    list_display = ["item", "years", "basis"]

    def save_model(
        self, request: HttpRequest, obj: RetentionRule, form: forms.Form, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=RETENTION_RULE_SAVE,
            obj=obj,
            after={"item": obj.item_id, "years": obj.years, "basis": obj.basis},
            request=request,
        )


@admin.register(PurgeTombstone)
class PurgeTombstoneAdmin(admin.ModelAdmin[PurgeTombstone]):
    """What the purge deleted (遗忘): read only, nothing personal in it."""

    list_display = ["purged_on", "item", "department", "count", "ended_from", "ended_to"]
    list_filter = ["item", "department"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
