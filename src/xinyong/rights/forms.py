"""Forms of the objection pages: the public filing form and each staff step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.rights.models import Objection


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FileForm(forms.Form):
    """The portal's filing form (the same fields as the API's body)."""

    record_id = forms.IntegerField(label=_("异议记录编号"), min_value=1, widget=forms.HiddenInput)
    applicant_kind = forms.ChoiceField(
        label=_("申请人类别"),
        choices=[("legal", _("单位（统一社会信用代码）")), ("person", _("个人（居民身份证）"))],
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("单位名称或姓名"), max_length=200)
    applicant_code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=30)
    applicant_email = forms.EmailField(
        label=_("电子邮箱（可选，用于告知办理进度）"), max_length=254, required=False
    )
    reason = forms.CharField(label=_("异议理由"), max_length=5000, widget=forms.Textarea)
    attachments = MultipleFileField(
        label=_("证明材料（PDF、JPG 或 PNG，每个不超过 10 MB，最多 5 个）"), required=False
    )


class StatusForm(forms.Form):
    number = forms.CharField(label=_("受理编号"), max_length=32)
    secret = forms.CharField(label=_("查询密码"), max_length=64, widget=forms.PasswordInput)


class NoFields(forms.Form):
    pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("补正要求"), widget=forms.Textarea)


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("核查结论"),
        choices=[
            (Objection.Status.CORRECTED, _("更正（记录有误，按下列内容更正）")),
            (Objection.Status.UPHELD, _("维持（记录无误）")),
            (Objection.Status.REVOKED, _("撤销（撤回该记录）")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("核查意见"), widget=forms.Textarea)
    corrections = forms.CharField(
        label=_("更正内容（结论为更正时填写，每行一项：字段名称=更正后的内容）"),
        widget=forms.Textarea,
        required=False,
    )

    def clean_corrections(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for n, line in enumerate(str(self.cleaned_data.get("corrections") or "").splitlines(), 1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(_("第 %(n)d 行应为“字段名称=更正后的内容”") % {"n": n})
            found[name.strip()] = value.strip()
        return found


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复意见"), widget=forms.Textarea)


class CounterForm(forms.Form):
    """信息主体查询 at the counter: the identity the clerk checked in person."""

    code = forms.CharField(label=_("统一社会信用代码或居民身份证号码"), max_length=30)
    name = forms.CharField(label=_("姓名（个人查询时必填）"), max_length=200, required=False)
    identity_note = forms.CharField(
        label=_("身份核验方式（如：身份证原件；授权委托书编号及代理人身份证）"), max_length=200
    )
    reason = forms.CharField(label=_("查询事由"), max_length=200)


class CodeIssueForm(forms.Form):
    """An access code for a company, after its authorisation letter was checked."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    letter = forms.CharField(label=_("授权书（编号或说明）"), max_length=200)
    reason = forms.CharField(label=_("查询事由"), max_length=200)


class CodeUseForm(forms.Form):
    """The portal's form: a company opens its file with its USCC and code."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    code = forms.CharField(label=_("授权查询码"), max_length=20)


class RepairForm(FileForm):
    """The portal's repair form: the objection's fields, the proof of the
    fulfilled obligations and the commitment (the API's `commitment`)."""

    reason = forms.CharField(
        label=_("申请理由（纠正失信行为、履行法定义务的情况）"),
        max_length=5000,
        widget=forms.Textarea,
    )
    attachments = MultipleFileField(
        label=_(
            "履行义务的证明材料，如罚款缴纳凭证（PDF、JPG 或 PNG，每个不超过 10 MB，最多 5 个）"
        ),
        required=False,
    )
    commitment = forms.BooleanField(label=_("我已阅读并同意上述信用修复承诺书"), required=False)


class ApproveForm(forms.Form):
    obligations_confirmed = forms.BooleanField(
        label=_("已核实申请人纠正失信行为、履行法定义务"), required=False
    )
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予修复理由"), widget=forms.Textarea)
