from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.reports.models import SPECIAL_MAX_YEARS, Agency, AgencyReport, Report


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


class AgencyForm(forms.Form):
    """The credit office registers a credit service agency (备案)."""

    name = forms.CharField(label=_("机构名称"), max_length=100)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    services = forms.MultipleChoiceField(
        label=_("服务类型"),
        choices=Agency.Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("住所"), max_length=200, required=False)
    business_scope = forms.CharField(
        label=_("经营范围"), max_length=500, required=False, widget=forms.Textarea({"rows": 2})
    )
    contact_phone = forms.CharField(label=_("联系电话（不公开）"), max_length=30, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class FilingForm(forms.Form):
    """An agency's user files a report the agency issued (信用报告备案)."""

    number = forms.CharField(label=_("报告编号"), max_length=50)
    subject_uscc = forms.CharField(label=_("主体统一社会信用代码"), max_length=40)
    subject_name = forms.CharField(label=_("主体名称"), max_length=200)
    kind = forms.ChoiceField(label=_("报告类型"), choices=AgencyReport.Kind.choices)
    grade = forms.ChoiceField(
        label=_("信用等级"),
        choices=[("", _("—（无评级）")), *AgencyReport.Grade.choices],
        required=False,
    )
    issued_on = forms.DateField(label=_("出具日期"), widget=forms.DateInput({"type": "date"}))
    valid_until = forms.DateField(label=_("有效期至"), widget=forms.DateInput({"type": "date"}))
    purpose = forms.ChoiceField(label=_("用途"), choices=AgencyReport.Purpose.choices)
    file = forms.FileField(label=_("报告文件（PDF）"))


class VerifyFilingForm(forms.Form):
    """The public check of a report an agency filed."""

    agency = forms.CharField(label=_("机构备案编号或统一社会信用代码"), max_length=40)
    number = forms.CharField(label=_("报告编号"), max_length=50)
    file = forms.FileField(label=_("报告文件（可选，PDF，用于核对是否与备案一致）"), required=False)
