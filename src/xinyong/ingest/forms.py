from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.models import Department


class UploadForm(forms.Form):
    item = forms.ModelChoiceField(label=_("目录事项"), queryset=None, empty_label=None)
    department = forms.ModelChoiceField(
        label=_("报送部门"), queryset=Department.objects.filter(is_active=True), required=False
    )
    file = forms.FileField(
        label=_("文件"), help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GB18030 编码）")
    )

    def __init__(self, *args, user, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        if not user.is_credit_office:
            del self.fields["department"]
        else:
            self.fields["department"].required = True
