"""Least privilege: a department's users see and change only their own department."""

import pytest

from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.orgs import selectors, services
from xinyong.orgs.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_clerk_lists_only_own_department(clerk, department, other_department):
    assert list(selectors.department_list_for(clerk)) == [department]


def test_credit_office_lists_every_department(admin_user, department, other_department):
    names = {d.short_code for d in selectors.department_list_for(admin_user)}
    assert {"xyb", "scjg", "shuiwu"} <= names


def test_clerk_refused_other_departments_page(client_as, clerk, other_department):
    response = client_as(clerk).get(f"/staff/departments/{other_department.short_code}/")
    assert response.status_code == 404
    assert "无权访问" in response.content.decode()


def test_refusal_does_not_reveal_whether_department_exists(client_as, clerk):
    missing = client_as(clerk).get("/staff/departments/no-such/")
    assert missing.status_code == 404


def test_clerk_sees_own_department_page(client_as, clerk, department):
    response = client_as(clerk).get(f"/staff/departments/{department.short_code}/")
    assert response.status_code == 200
    assert department.name in response.content.decode()


def test_clerk_cannot_make_token_for_other_department(client_as, clerk, other_department):
    response = client_as(clerk).post(
        f"/staff/departments/{other_department.short_code}/tokens/", {"name": "对接"}
    )
    assert response.status_code == 404
    assert not ApiToken.objects.exists()


def test_department_admin_cannot_revoke_other_departments_token(
    client_as, department_admin, admin_user, other_department
):
    token, _secret = services.api_token_create(
        actor=admin_user, department=other_department, name="税务系统"
    )
    # Even through its own department's URL, another department's token is not found.
    response = client_as(department_admin).post(
        f"/staff/departments/{department_admin.department.short_code}/tokens/{token.pk}/revoke/"
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_clerk_cannot_create_users_or_departments(clerk, department):
    with pytest.raises(PermissionDeniedError):
        services.user_create(
            actor=clerk,
            username="x",
            password="pw-123456789",
            role=User.Role.CLERK,
            department=department,
        )
    with pytest.raises(PermissionDeniedError):
        services.department_create(actor=clerk, name="新部门", short_code="xin")


def test_clerk_post_to_department_list_is_forbidden(client_as, clerk):
    response = client_as(clerk).post("/staff/departments/", {"name": "x", "short_code": "x"})
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, department):
    response = client.get(f"/staff/departments/{department.short_code}/")
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def test_service_refuses_other_department(department_admin, other_department):
    with pytest.raises(NotFoundError):
        services.api_token_create(actor=department_admin, department=other_department, name="x")


def test_department_user_needs_a_department(admin_user):
    with pytest.raises(ApplicationError) as exc:
        services.user_create(
            actor=admin_user,
            username="lost",
            password="pw-123456789",
            role=User.Role.CLERK,
            department=None,
        )
    assert "所属部门" in exc.value.message
