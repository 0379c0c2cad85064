from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.subjects.models import SubjectConflict


class ConflictResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (SubjectConflict.Status.CONFIRMED, SubjectConflict.Status.CONFIRMED.label),
            (SubjectConflict.Status.CORRECTED, SubjectConflict.Status.CORRECTED.label),
        ],
    )
    note = forms.CharField(
        label=_("处理说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：经核对营业执照，报送名称为曾用名"),
    )


class QualityFilterForm(forms.Form):
    since = forms.DateField(
        label=_("统计起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则统计全部报送"),
    )


STATUS_FILTERS = [
    ("open", _("待核查")),
    ("confirmed", _("已确认无误")),
    ("corrected", _("已更正")),
    ("all", _("全部")),
]
