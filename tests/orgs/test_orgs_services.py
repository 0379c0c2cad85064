import pytest

from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog
from xinyong.orgs import services
from xinyong.orgs.models import ApiToken, Department, User

pytestmark = pytest.mark.django_db


def test_credit_office_creates_department_with_checked_uscc(admin_user):
    department = services.department_create(
        actor=admin_user,
        name="林区市场监督管理局",
        short_code="SCJG",
        uscc=" ９１１１００００６０００３７３４１ｌ ",
    )
    assert department.short_code == "scjg"
    assert department.uscc == "91110000600037341L"
    row = AuditLog.objects.get(action="department.create")
    assert row.actor == admin_user
    assert row.after["short_code"] == "scjg"


def test_department_with_wrong_uscc_is_refused_with_reason(admin_user):
    with pytest.raises(ApplicationError) as exc:
        services.department_create(
            actor=admin_user, name="某局", short_code="mj", uscc="91110000600037341X"
        )
    assert "统一社会信用代码" in exc.value.message
    assert "第18位" in exc.value.message
    assert not Department.objects.filter(short_code="mj").exists()


def test_duplicate_short_code_refused_in_chinese(admin_user, department):
    with pytest.raises(ApplicationError) as exc:
        services.department_create(actor=admin_user, name="另一个局", short_code="scjg")
    assert "简码" in exc.value.message


def test_token_is_stored_hashed_and_shown_once(admin_user, department):
    token, secret = services.api_token_create(
        actor=admin_user, department=department, name="处罚系统"
    )
    assert secret.startswith("xy_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix, stored.name)
    assert services.api_token_authenticate(secret) == stored
    assert services.api_token_authenticate(secret + "x") is None


def test_revoked_token_no_longer_authenticates(admin_user, department):
    token, secret = services.api_token_create(
        actor=admin_user, department=department, name="处罚系统"
    )
    services.api_token_revoke(actor=admin_user, department=department, token_id=token.pk)
    assert services.api_token_authenticate(secret) is None
    assert AuditLog.objects.filter(action="api_token.revoke").count() == 1


def test_department_admin_makes_token_for_own_department_via_page(
    client_as, department_admin, department
):
    response = client_as(department_admin).post(
        f"/staff/departments/{department.short_code}/tokens/", {"name": "对接"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get()
    assert f"xy_{token.prefix}_" in page
    # The department page lists the token by prefix only: the secret is never shown again.
    detail = (
        client_as(department_admin)
        .get(f"/staff/departments/{department.short_code}/")
        .content.decode()
    )
    assert token.prefix in detail
    assert f"xy_{token.prefix}_" not in detail


def test_credit_office_creates_user_from_department_page(client_as, admin_user, department):
    response = client_as(admin_user).post(
        f"/staff/departments/{department.short_code}/",
        {
            "username": "newclerk",
            "display_name": "王五",
            "role": "clerk",
            "password": "a-long-pass-1",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newclerk")
    assert user.department == department
    assert user.check_password("a-long-pass-1")


def test_login_page_in_chinese_and_staff_home_shows_role(client, clerk, department):
    page = client.get("/staff/login/").content.decode()
    assert "工作人员登录" in page
    response = client.post("/staff/login/", {"username": "clerk", "password": "pw-for-tests-123"})
    assert response.status_code == 302
    home = client.get("/staff/").content.decode()
    assert "信息报送员" in home
    assert department.name in home


def test_wrong_password_says_so_in_chinese(client, clerk):
    response = client.post("/staff/login/", {"username": "clerk", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_audit_log_is_append_only(admin_user, department):
    services.api_token_create(actor=admin_user, department=department, name="x")
    row = AuditLog.objects.first()
    row.reason = "changed"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        AuditLog.objects.all().delete()
    with pytest.raises(TypeError):
        AuditLog.objects.update(reason="x")
