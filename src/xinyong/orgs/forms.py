from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.orgs.models import Department, User
from xinyong.orgs.services import TOKEN_LIFETIME_DAYS, TOKEN_MAX_LIFETIME_DAYS


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_code = forms.SlugField(label=_("简码"), max_length=30, help_text=_("如 scjg"))
    # An agency's account is made with its registration (reports: agency_register).
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k, v) for k, v in Department.Kind.choices if k != Department.Kind.AGENCY],
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False)
    parent = forms.ModelChoiceField(
        label=_("上级单位"), queryset=Department.objects.all(), required=False
    )


class UserForm(forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=User.Role.choices)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=8)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100, help_text=_("如：行政处罚系统对接"))
    expires_days = forms.IntegerField(
        label=_("有效期（天）"),
        required=False,
        initial=TOKEN_LIFETIME_DAYS,
        min_value=1,
        max_value=TOKEN_MAX_LIFETIME_DAYS,
        help_text=_("到期后令牌失效，需创建新令牌"),
    )
