"""The filter form of the 双公示 lists and downloads (GET parameters)."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.ids import MAX_ID
from xinyong.records import selectors


class DateInput(forms.DateInput):
    input_type = "date"


class RecordFilterForm(forms.Form):
    department = forms.ChoiceField(label=_("公示部门"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    date_from = forms.DateField(label=_("决定日期自"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("决定日期至"), required=False, widget=DateInput)
    subject = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(
        self, data: Mapping[str, object] | None, *, kind: selectors.Kind, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        # This form's own copies of the declared fields (not the class's).
        department = cast("forms.ChoiceField", self.fields["department"])
        department.choices = [("", _("全部部门")), *selectors.department_choices()]
        category = cast("forms.ChoiceField", self.fields["category"])
        category.label = kind.category_label
        category.choices = [
            ("", _("全部类别")),
            *((c, c) for c in selectors.category_choices(kind)),
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return cleaned

    def filters(self) -> selectors.RecordFilters:
        """The valid filters; an invalid one is dropped (and reported on the page)."""
        self.is_valid()  # cleaned_data keeps only the fields that are valid
        data = self.cleaned_data
        return selectors.RecordFilters(
            department=data.get("department") or "",
            category=data.get("category") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            subject_id=data.get("subject"),
        )
