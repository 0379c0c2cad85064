from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.records.models import Record


class WithdrawForm(forms.Form):
    """A department withdraws one of its records (行政处罚法 art. 48)."""

    kind = forms.ChoiceField(
        label=_("撤回类别"), choices=Record.WithdrawalKind.choices, required=False
    )
    decided_on = forms.DateField(
        label=_("变更/撤销决定日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("据此判断是否在 3 个工作日内撤回"),
    )
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将在公示网站上说明，如：经行政复议，原处罚决定被撤销（神复决〔2025〕3号）"),
    )
