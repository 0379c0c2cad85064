from ninja import Router, Schema

from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest

router = Router(tags=["部门"])


class MeOut(Schema):
    department: str
    short_code: str
    kind: str
    token_name: str


@router.get("/me", response=MeOut, auth=DepartmentToken(), summary="当前令牌所属部门")
def me(request: TokenRequest) -> MeOut:
    token = request.auth
    return MeOut(
        department=token.department.name,
        short_code=token.department.short_code,
        kind=token.department.kind,
        token_name=token.name,
    )
