"""The credit office's reference data of `rights`: the credit repair rules.
Objections and repair applications change only through their services (the
staff pages under /staff/rights/); the objection deadlines are settings
(`XINYONG_OBJECTION_*_WORKDAYS`).

The texts of commitments are data the credit office keeps here too: a text
is never edited once created (commitments were signed against it); a change
is added as a new version (`commitment_text_publish`, audited), which later
signatures take from its 启用日期 on."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.http import admin_user
from xinyong.orgs.models import User
from xinyong.rights.models import CommitmentText, RepairRule
from xinyong.rights.services.commitments import commitment_text_publish


class RepairRuleForm(forms.ModelForm[RepairRule]):
    class Meta:
        model = RepairRule
        fields = [
            "code",
            "name",
            "basis",
            "item",
            "not_repairable_categories",
            "decider",
            "requires_training",
            "decide_workdays",
            "is_active",
            "note",
        ]

    def clean_not_repairable_categories(self) -> list[str]:
        value = self.cleaned_data.get("not_repairable_categories") or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise forms.ValidationError(
                _('应为处罚类别名称的列表，如 ["吊销许可证件", "限制从业"]')
            )
        return [v.strip() for v in value]


@admin.register(RepairRule)
class RepairRuleAdmin(admin.ModelAdmin[RepairRule]):
    form = RepairRuleForm
    list_display = ["code", "name", "item", "decider", "requires_training", "decide_workdays"]
    list_filter = ["decider", "requires_training", "is_active"]


class CommitmentTextForm(forms.ModelForm[CommitmentText]):
    class Meta:
        model = CommitmentText
        fields = ["type", "title", "body", "effective_from", "note"]


@admin.register(CommitmentText)
class CommitmentTextAdmin(admin.ModelAdmin[CommitmentText]):
    form = CommitmentTextForm
    list_display = ["type", "version", "title", "effective_from", "created_at"]
    list_filter = ["type"]
    readonly_fields = ["version", "created_at"]

    def _credit_office(self, request: HttpRequest) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_active and user.is_credit_office

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: CommitmentText | None = None) -> bool:
        return self._credit_office(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._credit_office(request)

    def has_change_permission(
        self, request: HttpRequest, obj: CommitmentText | None = None
    ) -> bool:
        return False  # a signed text stays as it was: add a new version instead

    def has_delete_permission(
        self, request: HttpRequest, obj: CommitmentText | None = None
    ) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CommitmentText, form: forms.ModelForm, change: bool
    ) -> None:
        made = commitment_text_publish(
            actor=admin_user(request),
            type=obj.type,
            title=obj.title,
            body=obj.body,
            effective_from=obj.effective_from,
            note=obj.note,
            request=request,
        )
        obj.pk, obj.version, obj.created_at = made.pk, made.version, made.created_at
