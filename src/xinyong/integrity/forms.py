"""Forms of `integrity`: the public complaint form and the staff steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.integrity.models import GovComplaint
from xinyong.orgs.models import Department
from xinyong.rights.forms import MultipleFileField
from xinyong.subjects.models import GOVERNMENT_CATEGORIES


class ComplaintForm(forms.Form):
    """The portal's 政府违约失信投诉 form (the objection form's identity and files)."""

    complainant_kind = forms.ChoiceField(
        label=_("投诉人类别"),
        choices=[("legal", _("单位（统一社会信用代码）")), ("person", _("个人（居民身份证）"))],
        widget=forms.RadioSelect,
    )
    complainant_name = forms.CharField(label=_("单位名称或姓名"), max_length=200)
    complainant_code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)
    complainant_phone = forms.CharField(label=_("联系电话"), max_length=30)
    complainant_email = forms.EmailField(
        label=_("电子邮箱（可选，用于告知办理进度）"), max_length=254, required=False
    )
    body_name = forms.CharField(label=_("被投诉单位（机关或事业单位）"), max_length=200)
    body_uscc = forms.CharField(label=_("被投诉单位统一社会信用代码"), max_length=18)
    contract = forms.CharField(label=_("合同或承诺名称"), max_length=300)
    facts = forms.CharField(label=_("违约失信事实"), max_length=5000, widget=forms.Textarea)
    attachments = MultipleFileField(
        label=_("证明材料（PDF、JPG 或 PNG，每个不超过 10 MB，最多 5 个）"), required=False
    )


class ComplaintStatusForm(forms.Form):
    number = forms.CharField(label=_("投诉编号"), max_length=32)
    secret = forms.CharField(label=_("查询密码"), max_length=64, widget=forms.PasswordInput)


class AcceptForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=Department.objects.order_by("name")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), max_length=2000, widget=forms.Textarea)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[c for c in GovComplaint.Outcome.choices if c[0]],
        help_text=_("投诉属实的，办结时自动记入被投诉单位的政务失信记录（政府违约失信）"),
    )
    note = forms.CharField(label=_("处理意见"), max_length=5000, widget=forms.Textarea)


class GovernmentFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("机构类别"),
        required=False,
        choices=[("", _("机关和事业单位")), *GOVERNMENT_CATEGORIES.items()],
    )


class PersonLookupForm(forms.Form):
    id_number = forms.CharField(label=_("居民身份证号码"), max_length=18)


class IntegrityCheckForm(forms.Form):
    domain = forms.ChoiceField(
        label=_("核查领域"), choices=[("RYLY", _("录用任用")), ("PYBZ", _("评优表彰"))]
    )
    matter = forms.CharField(label=_("事项"), max_length=200)
    id_number = forms.CharField(label=_("居民身份证号码"), max_length=18)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
