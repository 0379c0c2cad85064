"""Accounts (issue 12, item 6): password validators wherever a password is set,
staff sessions that end, and API tokens that expire, show their last use and
are a department administrator's or the credit office's to make."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command

from orgs.factories import TEST_PASSWORD, ApiTokenFactory
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.models import AuditLog
from xinyong.orgs import services
from xinyong.orgs.models import ApiToken, User

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


# -- password validators -----------------------------------------------------------------


def test_service_refuses_a_weak_password_in_chinese(admin_user, department):
    with pytest.raises(ApplicationError) as exc:
        services.user_create(
            actor=admin_user,
            username="newclerk",
            password="12345678",
            role=User.Role.CLERK,
            department=department,
        )
    assert exc.value.code == "weak_password"
    assert CJK.search(exc.value.message)
    assert "密码" in exc.value.message
    assert not User.objects.filter(username="newclerk").exists()


def test_staff_page_refuses_12345678_with_a_chinese_reason(client_as, admin_user, department):
    response = client_as(admin_user).post(
        f"/staff/departments/{department.short_code}/",
        {"username": "newclerk", "role": "clerk", "password": "12345678"},
    )
    assert response.status_code == 200
    errors = response.context["user_form"].errors["password"]
    assert errors and all(CJK.search(e) for e in errors)
    assert "这个密码" in response.content.decode()
    assert not User.objects.filter(username="newclerk").exists()


def test_admin_refuses_12345678_with_a_chinese_reason(client_as, admin_user, department):
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    response = client_as(admin_user).post(
        "/admin/orgs/user/add/",
        {
            "username": "newclerk",
            "usable_password": "true",
            "password1": "12345678",
            "password2": "12345678",
            "role": "clerk",
            "department": department.pk,
        },
    )
    assert response.status_code == 200
    assert "这个密码" in response.content.decode()
    assert not User.objects.filter(username="newclerk").exists()


def test_createsuperuser_noinput_refuses_12345678(monkeypatch, credit_office):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "12345678")
    with pytest.raises(CommandError) as exc:
        call_command("createsuperuser", "--noinput", username="root2", email="")
    assert "密码不符合要求" in str(exc.value)
    assert not User.objects.filter(username="root2").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-Long-pass-for-root-7")
    call_command("createsuperuser", "--noinput", username="root2", email="")
    assert User.objects.get(username="root2").is_superuser


# -- staff sessions ----------------------------------------------------------------------


def test_session_cookie_ends_with_the_browser_and_the_session_after_12_hours(client, clerk):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        response = client.post("/staff/login/", {"username": "clerk", "password": TEST_PASSWORD})
        assert response.status_code == 302
        cookie = response.cookies["sessionid"]
        # A browser-session cookie: no Max-Age, no Expires.
        assert not cookie["max-age"]
        assert not cookie["expires"]
        assert cookie["httponly"]
        assert client.session.get_expiry_age() == 12 * 60 * 60
    with time_machine.travel(start + dt.timedelta(hours=11, minutes=59), tick=False):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


# -- API tokens: expiry ------------------------------------------------------------------


def test_token_expires_after_a_year_by_default(admin_user, department):
    with clock.pinned("2026-03-02"):
        token, _secret = services.api_token_create(
            actor=admin_user, department=department, name="x"
        )
    assert token.expires_at - token.created_at == dt.timedelta(days=365)
    audit = AuditLog.objects.get(action="api_token.create")
    assert audit.after["expires_at"] == token.expires_at.isoformat()


def test_expired_token_answers_401_in_chinese(client, admin_user, department):
    with clock.pinned("2025-01-10"):
        token, secret = services.api_token_create(
            actor=admin_user, department=department, name="处罚系统", expires_days=30
        )
    headers = {"Authorization": f"Bearer {secret}"}
    with clock.pinned("2025-02-08"):
        assert client.get("/api/v1/catalog/items", headers=headers).status_code == 200
    with clock.pinned("2025-02-10"):
        response = client.get("/api/v1/catalog/items", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "token_expired"
    assert "已于" in body["message"] and "过期" in body["message"]
    assert token.prefix in body["message"]


def test_department_page_shows_expiry_and_last_use(client_as, client, clerk, department):
    token = ApiTokenFactory(department=department, name="处罚系统")
    page = client_as(clerk).get(f"/staff/departments/{department.short_code}/").content.decode()
    assert "从未使用" in page
    client.logout()
    with clock.pinned(dt.datetime(2026, 3, 2, 10, 30, tzinfo=clock.SHANGHAI)):
        response = client.get(
            "/api/v1/catalog/items", headers={"Authorization": f"Bearer {token.secret}"}
        )
    assert response.status_code == 200
    page = client_as(clerk).get(f"/staff/departments/{department.short_code}/").content.decode()
    assert "2026-03-02 10:30" in page
    token.refresh_from_db()
    assert timezone_local(token.expires_at) in page


def timezone_local(moment):
    return moment.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")


def test_last_used_is_written_at_most_once_a_minute(department):
    token = ApiTokenFactory(department=department)
    at = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with clock.pinned(at):
        services.api_token_authenticate(token.secret)
    with clock.pinned(at + dt.timedelta(seconds=50)):
        services.api_token_authenticate(token.secret)
    token.refresh_from_db()
    assert token.last_used_at == at
    with clock.pinned(at + dt.timedelta(seconds=61)):
        services.api_token_authenticate(token.secret)
    token.refresh_from_db()
    assert token.last_used_at == at + dt.timedelta(seconds=61)


# -- API tokens: who makes them ----------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "officer"])
def test_clerk_and_officer_cannot_make_or_revoke_tokens(request, role, department):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDeniedError):
        services.api_token_create(actor=user, department=department, name="x")
    token = ApiTokenFactory(department=department)
    with pytest.raises(PermissionDeniedError):
        services.api_token_revoke(actor=user, department=department, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_officer_page_post_is_forbidden_and_shows_no_token_form(client_as, officer, department):
    page = client_as(officer).get(f"/staff/departments/{department.short_code}/")
    assert "创建令牌" not in page.content.decode()
    assert "部门管理员或信用办" in page.content.decode()
    response = client_as(officer).post(
        f"/staff/departments/{department.short_code}/tokens/", {"name": "对接"}
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_department_admin_and_credit_office_make_and_revoke(
    department_admin, admin_user, department
):
    token, _ = services.api_token_create(actor=department_admin, department=department, name="a")
    assert token.created_by == department_admin
    services.api_token_revoke(actor=department_admin, department=department, token_id=token.pk)
    other, _ = services.api_token_create(actor=admin_user, department=department, name="b")
    services.api_token_revoke(actor=admin_user, department=department, token_id=other.pk)
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 2


def test_credit_office_can_create_a_department_administrator(client_as, admin_user, department):
    response = client_as(admin_user).post(
        f"/staff/departments/{department.short_code}/",
        {"username": "scjg_admin", "role": "dept_admin", "password": "a-long-pass-1"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="scjg_admin").get_role_display() == "部门管理员"


def test_department_page_marks_an_expired_token(client_as, clerk, department):
    with clock.pinned("2024-01-02"):
        ApiTokenFactory(department=department, name="旧系统")
    with clock.pinned("2025-03-01"):
        page = client_as(clerk).get(f"/staff/departments/{department.short_code}/")
    assert "已过期" in page.content.decode()
