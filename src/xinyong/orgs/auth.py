"""API authentication: a department's bearer token."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from xinyong.orgs.models import ApiToken, Department
from xinyong.orgs.permissions import agency_may_call, agency_refused
from xinyong.orgs.services import api_token_authenticate


class DepartmentToken(HttpBearer):
    """`Authorization: Bearer xy_…`; sets `request.department` and `request.api_token`."""

    openapi_description = (
        "部门接口令牌（部门管理员或信用办在“工作台 → 部门 → 接口令牌”中创建，只显示一次；"
        "默认一年后过期，过期的令牌返回 401 token_expired）"
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if api_token.department.kind == Department.Kind.AGENCY and not agency_may_call(
            request.path
        ):
            raise agency_refused()
        # What orgs.http.TokenRequest declares; ninja sets `request.auth` itself.
        request.department = api_token.department  # type: ignore[attr-defined]  # TokenRequest
        request.api_token = api_token  # type: ignore[attr-defined]  # TokenRequest
        return api_token
