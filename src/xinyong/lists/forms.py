"""Forms of the staff pages: each parses one transition's input; the service decides."""

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import Department

_TEXT = forms.Textarea(attrs={"rows": 3})
_DATE = forms.DateInput(attrs={"type": "date"})


class ProposeForm(forms.Form):
    list_type = forms.ModelChoiceField(label=_("名单类型"), queryset=ListType.objects.none())
    subject = forms.CharField(
        label=_("信用主体"),
        max_length=30,
        help_text=_("统一社会信用代码，或平台主体编号（如 #123，见主体页面）"),
    )
    department = forms.ModelChoiceField(
        label=_("认定部门"),
        queryset=Department.objects.filter(is_active=True).exclude(kind=Department.Kind.AGENCY),
        required=False,
        help_text=_("信用办代部门提出时选择；部门用户为本部门"),
    )
    reasons = forms.CharField(label=_("列入事由"), max_length=4000, widget=_TEXT)
    basis = forms.CharField(
        label=_("列入依据"),
        max_length=2000,
        required=False,
        widget=_TEXT,
        help_text=_("留空则为名单类型的认定依据"),
    )
    evidence = forms.MultipleChoiceField(
        label=_("证据（平台记录）"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        list_types: QuerySet[ListType],
        evidence: list[tuple[str, str]],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        cast(forms.ModelChoiceField, self.fields["list_type"]).queryset = list_types
        cast(forms.MultipleChoiceField, self.fields["evidence"]).choices = evidence


class NotifyForm(forms.Form):
    notice_number = forms.CharField(
        label=_("告知书文号"), max_length=100, required=False, help_text=_("留空则自动编号")
    )
    served_on = forms.DateField(
        label=_("送达日期"), required=False, widget=_DATE, help_text=_("留空为今天")
    )


class ObjectForm(forms.Form):
    text = forms.CharField(label=_("陈述申辩/异议内容"), max_length=4000, widget=_TEXT)
    received_on = forms.DateField(
        label=_("收到日期"), required=False, widget=_DATE, help_text=_("留空为今天")
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (ListEntry.ObjectionOutcome.REJECTED, ListEntry.ObjectionOutcome.REJECTED.label),
            (ListEntry.ObjectionOutcome.ACCEPTED, ListEntry.ObjectionOutcome.ACCEPTED.label),
        ],
    )
    answer = forms.CharField(label=_("答复意见"), max_length=4000, widget=_TEXT)


class DecideForm(forms.Form):
    document_number = forms.CharField(label=_("决定书文号"), max_length=100)
    measures = forms.CharField(
        label=_("惩戒或激励措施"),
        max_length=4000,
        required=False,
        widget=_TEXT,
        help_text=_("留空则为名单类型的措施摘要"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=4000, widget=_TEXT)
