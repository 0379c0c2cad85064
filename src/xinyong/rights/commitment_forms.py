"""Forms of commitments and repair training: the portal's, and the staff pages'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.models import Department
from xinyong.rights.models import CommitmentType, TrainingSession
from xinyong.rights.services.commitments import PUBLIC_TYPES

KIND_CHOICES = [("legal", _("单位（统一社会信用代码）")), ("person", _("个人（居民身份证）"))]


class SignerFields(forms.Form):
    signer_kind = forms.ChoiceField(
        label=_("承诺主体类别"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    signer_name = forms.CharField(label=_("单位名称或姓名"), max_length=200)
    signer_code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)
    contact_name = forms.CharField(label=_("联系人（单位填写）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30)


class PublicCommitmentForm(SignerFields):
    """The portal's form: a 主动型 or 信用修复型 commitment, signed online."""

    type = forms.ChoiceField(
        label=_("承诺类型"),
        choices=[(t.value, t.label) for t in PUBLIC_TYPES],
        widget=forms.RadioSelect,
    )
    department = forms.ModelChoiceField(
        label=_("受理部门"),
        queryset=Department.objects.filter(is_active=True)
        .exclude(kind=Department.Kind.AGENCY)
        .order_by("name"),
    )
    matter = forms.CharField(label=_("承诺事项（可选）"), max_length=300, required=False)
    email = forms.EmailField(label=_("电子邮箱（可选，用于接收履约通知）"), required=False)
    accepted = forms.BooleanField(label=_("本人（本单位）已阅读并同意遵守以上承诺"))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("已签署的信用承诺（xlsx、xls 或 csv）"))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("认定结果"),
        choices=[("fulfilled", _("已履约")), ("breached", _("违诺"))],
        widget=forms.RadioSelect,
    )
    facts = forms.CharField(label=_("履约或违诺事实"), widget=forms.Textarea)
    decided_on = forms.DateField(label=_("认定日期（默认今天）"), required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("培训名称"), max_length=200)
    held_on = forms.DateField(label=_("培训日期"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("形式"), choices=TrainingSession.Mode.choices)
    place = forms.CharField(label=_("地点或线上地址"), max_length=300)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)


class EnrolForm(forms.Form):
    subject_code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)
    participant = forms.CharField(label=_("参训人"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class PublicEnrolForm(SignerFields):
    participant = forms.CharField(label=_("参训人姓名"), max_length=50)


TYPE_CHOICES = CommitmentType.choices
