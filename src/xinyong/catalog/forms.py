"""Plain forms for the staff pages; every rule lives in the services."""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import CatalogField, CatalogItem, CodeList
from xinyong.catalog.schema import IDENTIFIER_KINDS
from xinyong.catalog.services import FIELD_SETTINGS
from xinyong.orgs.models import Department

_SEPARATORS = re.compile(r"[\n\r,，、;；]+")


def split_list(text: str | None) -> list[str]:
    """`相对人名称、企业名称` (or one per line, or commas) → a list."""
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


def join_list(values: Iterable[str] | None) -> str:
    return "、".join(values or [])


class ListField(forms.CharField):
    """A list typed as text, separated by 、 , ; or new lines."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return join_list(value)
        return value

    def to_python(self, value: object) -> list[str]:  # type: ignore[override]  # a list, not str
        return split_list(super().to_python(value))


class LinesField(ListField):
    """A list typed one entry per line (values may contain 、 or commas)."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: object) -> list[str]:  # type: ignore[override]  # a list, not str
        text = forms.CharField.to_python(self, value)
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


NOTE = forms.CharField(
    label=_("变更说明"),
    max_length=300,
    required=False,
    help_text=_("写入版本记录，如：按2024年版目录调整"),
)


class ItemSettingsForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("依据"), max_length=300, required=False)
    key_fields = ListField(
        label=_("记录标识字段"),
        required=False,
        help_text=_("唯一确定一条记录的字段名，用顿号分隔；留空则用文书号"),
    )
    category = forms.ChoiceField(label=_("类别"), choices=CatalogItem.Category.choices)
    nature = forms.ChoiceField(label=_("性质"), choices=CatalogItem.Nature.choices)
    disclosure = forms.ChoiceField(label=_("公开属性"), choices=CatalogItem.Disclosure.choices)
    submit_within = forms.IntegerField(label=_("报送时限"), min_value=1, max_value=365)
    submit_unit = forms.ChoiceField(
        label=_("报送时限单位"), choices=CatalogItem.DeadlineUnit.choices
    )
    publish_within_workdays = forms.IntegerField(
        label=_("公示时限（工作日）"), min_value=1, max_value=365, required=False
    )
    is_active = forms.BooleanField(label=_("启用"), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("报送部门"),
        queryset=Department.objects.filter(is_active=True)
        .exclude(kind=Department.Kind.AGENCY)
        .order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = NOTE

    # Settings only the credit office changes (services.items.CREDIT_OFFICE_SETTINGS).
    RESERVED = (
        "category",
        "nature",
        "disclosure",
        "submit_within",
        "submit_unit",
        "publish_within_workdays",
        "is_active",
        "departments",
    )

    def __init__(self, *args: Any, credit_office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not credit_office:
            for name in self.RESERVED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("由信用办设置")


class ItemCreateForm(ItemSettingsForm):
    code = forms.CharField(
        label=_("目录编码"),
        max_length=30,
        help_text=_("大写字母、数字或下划线，如 QSXX；创建后不能修改"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, credit_office=True, **kwargs)
        del self.fields["is_active"]
        self.order_fields(["code", "name"])


class FieldForm(forms.Form):
    label = forms.CharField(label=_("中文名"), max_length=100, help_text=_("即模板的表头"))
    key = forms.CharField(
        label=_("字段名"), max_length=50, help_text=_("小写字母、数字和下划线，如 fine_amount")
    )
    aliases = ListField(
        label=_("表头别名"), required=False, help_text=_("文件中可能出现的其他表头，用顿号分隔")
    )
    type = forms.ChoiceField(label=_("类型"), choices=CatalogField.Type.choices)
    role = forms.ChoiceField(label=_("用途"), choices=CatalogField.Role.choices, required=False)
    required = forms.BooleanField(label=_("必填"), required=False)
    max_length = forms.IntegerField(label=_("最大长度"), min_value=1, required=False)
    pattern = forms.CharField(
        label=_("格式（正则）"), max_length=200, required=False, help_text=_("如 ^\\d{4}-\\d{2}$")
    )
    code_list = forms.ModelChoiceField(
        label=_("代码表"), queryset=CodeList.objects.order_by("name"), required=False
    )
    identifier_kind = forms.ChoiceField(
        label=_("代码类型"),
        choices=[("", "—"), *((k, k) for k in IDENTIFIER_KINDS)],
        required=False,
        help_text=_("类型为证照代码时填写"),
    )
    is_public = forms.BooleanField(
        label=_("公开"),
        required=False,
        initial=False,
        help_text=_("公开、遮蔽和用途由信用办决定；部门修改时提交变更申请"),
    )
    masking = forms.ChoiceField(
        label=_("遮蔽"), choices=CatalogField.Masking.choices, required=False
    )
    help_text = forms.CharField(label=_("填写说明"), max_length=300, required=False)
    position = forms.IntegerField(
        label=_("位置"),
        min_value=1,
        required=False,
        help_text=_("第几列；留空则不变（新字段放在最后）"),
    )
    note = NOTE

    ATTRIBUTES = FIELD_SETTINGS


class CodeListForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    values = LinesField(label=_("取值"), help_text=_("每行一个"))
    prefixes = ListField(
        label=_("允许的前缀"), required=False, help_text=_("以这些前缀开头的值也接受，如“其他-”")
    )
    legal_basis = forms.CharField(label=_("依据"), max_length=300, required=False)
    note = NOTE


class ChangeRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("批准")), ("refuse", _("驳回"))]
    )
    note = forms.CharField(
        label=_("审核意见"),
        max_length=300,
        help_text=_("批准时写入版本记录"),
    )
