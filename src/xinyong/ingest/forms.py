from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import CatalogItem
from xinyong.orgs.models import Department, User


class UploadForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("目录事项"), queryset=CatalogItem.objects.none(), empty_label=None
    )
    department = forms.ModelChoiceField(
        label=_("报送部门"),
        queryset=Department.objects.filter(is_active=True).exclude(kind=Department.Kind.AGENCY),
        required=False,
    )
    file = forms.FileField(
        label=_("文件"), help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GB18030 编码）")
    )

    def __init__(self, *args: Any, user: User, items: QuerySet[CatalogItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # This form's own copy of the declared field (not the class's `item`).
        cast("forms.ModelChoiceField[CatalogItem]", self.fields["item"]).queryset = items
        if not user.is_credit_office:
            del self.fields["department"]
        else:
            self.fields["department"].required = True
