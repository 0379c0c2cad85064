"""Audit actions of `orgs`: departments, users and API tokens."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

DEPARTMENT_CREATE = declare("department.create", label=_("新建部门"), object_type="orgs.Department")
USER_CREATE = declare("user.create", label=_("新建用户"), object_type="orgs.User")
API_TOKEN_CREATE = declare("api_token.create", label=_("创建接口令牌"), object_type="orgs.ApiToken")
API_TOKEN_REVOKE = declare("api_token.revoke", label=_("吊销接口令牌"), object_type="orgs.ApiToken")
# Login throttling (django-axes): each failed login and each lockout, with the client's
# address (core.audit.client_ip). The object is the account tried, by its login name.
LOGIN_FAIL = declare("login.fail", label=_("登录失败"), object_type="orgs.User")
LOGIN_LOCKOUT = declare("login.lockout", label=_("登录锁定"), object_type="orgs.User")
NOTICE_SEND = declare("notice.send", label=_("发送通知"), object_type="orgs.Notice")
