from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.oversight.models import CampaignTarget


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("专项名称"), max_length=100)
    basis = forms.CharField(label=_("工作依据"), widget=forms.Textarea(attrs={"rows": 2}))
    lead_department = forms.CharField(label=_("牵头部门代码"), max_length=30)
    starts_on = forms.DateField(label=_("开始日期"))
    ends_on = forms.DateField(label=_("结束日期"))


class TargetForm(forms.Form):
    name = forms.CharField(label=_("主体名称"), max_length=200)
    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("治理对象名单（csv 或 xlsx）"))


class RectifyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("整改状态"),
        choices=[
            (CampaignTarget.Rectification.IN_PROGRESS, _("整改中")),
            (CampaignTarget.Rectification.DONE, _("已整改")),
        ],
    )
    on = forms.DateField(label=_("日期"))
    note = forms.CharField(label=_("整改说明"), required=False, max_length=1000)


class ExitForm(forms.Form):
    on = forms.DateField(label=_("退出日期"))


class CommitmentForm(forms.Form):
    committed = forms.BooleanField(label=_("已作出承诺"), required=False)
