"""The credit office's reference data of `rights`: the credit repair rules.
Objections and repair applications change only through their services (the
staff pages under /staff/rights/); the objection deadlines are settings
(`XINYONG_OBJECTION_*_WORKDAYS`)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xinyong.rights.models import RepairRule


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
