from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.reports.models import SPECIAL_MAX_YEARS, Report


class ReportForm(forms.Form):
    """The counter's form: the subject by USCC (an organisation) or resident ID number
    (a person, who must be present or have authorised the query)."""

    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30, strip=True)
    kind = forms.ChoiceField(label=_("报告类型"), choices=Report.Kind.choices)
    purpose = forms.CharField(label=_("查询事由"), max_length=200)
    years = forms.IntegerField(
        label=_("查询年限（专项信用报告）"),
        min_value=1,
        max_value=SPECIAL_MAX_YEARS,
        required=False,
    )
    areas = forms.CharField(
        label=_("查询领域（部门简码，逗号分隔；空为全部）"), max_length=300, required=False
    )
    person_basis = forms.ChoiceField(
        label=_("自然人报告依据"),
        choices=[("", _("—（法人报告不填）")), *Report.PersonBasis.choices[1:]],
        required=False,
    )
    authorisation = forms.CharField(label=_("授权书编号"), max_length=100, required=False)
