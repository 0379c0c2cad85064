from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from xinyong.core.models import Tag
from xinyong.sanctions.models import ActionDomain, Case, Measure

# A bidders list of 10,000 rows is about 1 MB as xlsx; far larger is no such list.
MAX_BULK_FILE_MB = 20


def _domain_choices() -> list[tuple[str, str]]:
    return [(d.code, f"{d.code} {d.name}") for d in ActionDomain.objects.order_by("order", "code")]


class CheckForm(forms.Form):
    query = forms.CharField(
        label=_("核查对象"),
        max_length=200,
        help_text=_("统一社会信用代码、旧代码、身份证号码或完整名称（名称片段不匹配）"),
    )
    name = forms.CharField(
        label=_("名称（可选）"),
        max_length=200,
        required=False,
        help_text=_("同时填写名称时，代码有误仍按名称核查（需人工核实）"),
    )
    domain = forms.ChoiceField(label=_("领域"))
    matter = forms.CharField(label=_("办理事项"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


class BulkCheckForm(forms.Form):
    file = forms.FileField(
        label=_("投标人名单"),
        help_text=_(
            "Excel（.xlsx、.xls）或 CSV：表头含“名称”（或“投标人”“单位名称”）、“统一社会信用代码”，"
            "可含“身份证号码”；每次最多 10,000 行"
        ),
    )
    domain = forms.ChoiceField(label=_("领域"))
    matter = forms.CharField(label=_("办理事项"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BULK_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("文件超过 %(mb)d MB 上限（批量核查每次最多 10,000 行）")
                % {"mb": MAX_BULK_FILE_MB}
            )
        return upload


class FeedbackForm(forms.Form):
    applied = forms.TypedChoiceField(
        label=_("是否实施措施"),
        choices=[("1", _("已实施备忘录措施")), ("0", _("未实施"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    measure = forms.ModelChoiceField(
        label=_("实施的措施"), queryset=Measure.objects.none(), required=False
    )
    reason_not_applied = forms.CharField(
        label=_("未实施原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    result = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(
        label=_("处理日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, measure_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(  # type: ignore[attr-defined]
            pk__in=measure_ids
        ).select_related("memorandum")


def _tags_field(
    label: StrOrPromise, help_text: StrOrPromise
) -> "forms.ModelMultipleChoiceField[Tag]":
    return forms.ModelMultipleChoiceField(
        queryset=Tag.objects.order_by("name"),
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class CaseForm(forms.ModelForm[Case]):
    tags = _tags_field(_("建议标签"), _("供信用办参考；公开的标签由信用办审核时确定"))

    class Meta:
        model = Case
        fields = ["title", "subject_display", "facts", "measures", "effect", "tags"]
        widgets = {
            "facts": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "effect": forms.Textarea(attrs={"rows": 3}),
        }


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    tags = _tags_field(_("标签"), _("发布后在门户显示；已勾选的是部门建议的标签"))


class TagsForm(forms.Form):
    """The credit office's tags of a published case."""

    tags = _tags_field(_("标签"), _("在门户显示的标签"))
