"""Departments, users per role and API tokens, as tests need them."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory, Password

from xinyong.core import clock
from xinyong.orgs import services
from xinyong.orgs.models import ApiToken, Department, User

TEST_PASSWORD = "pw-for-tests-123"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"林区测试局{n}")
    short_code = factory.Sequence(lambda n: f"dept{n}")
    kind = Department.Kind.INDUSTRY


class CreditOfficeFactory(DepartmentFactory):
    name = "林区社会信用体系建设领导小组办公室"
    short_code = "xyb"
    kind = Department.Kind.CREDIT_OFFICE


class UserFactory(DjangoModelFactory):
    """A department's user (a clerk unless told otherwise), password `TEST_PASSWORD`."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.SelfAttribute("username")
    role = User.Role.CLERK
    department = factory.SubFactory(DepartmentFactory)
    password = Password(TEST_PASSWORD)


class ClerkFactory(UserFactory):
    role = User.Role.CLERK


class OfficerFactory(UserFactory):
    role = User.Role.OFFICER


class DepartmentAdminFactory(UserFactory):
    role = User.Role.DEPARTMENT_ADMIN


class CreditAdminFactory(UserFactory):
    role = User.Role.CREDIT_ADMIN
    department = factory.SubFactory(CreditOfficeFactory)


def token_secret(prefix: str) -> str:
    """The secret of a factory-made token (deterministic, shaped as real ones)."""
    return f"{services.TOKEN_PREFIX}_{prefix}_secret-for-tests-{prefix}"


class ApiTokenFactory(DjangoModelFactory):
    """A department's active API token; its secret is `token.secret` (never stored)."""

    class Meta:
        model = ApiToken
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    name = "对接"
    prefix = factory.Sequence(lambda n: f"{n:08x}")
    digest = factory.LazyAttribute(lambda token: services._digest(token_secret(token.prefix)))
    created_at = factory.LazyFunction(clock.now)
    expires_at = factory.LazyAttribute(
        lambda token: token.created_at + dt.timedelta(days=services.TOKEN_LIFETIME_DAYS)
    )

    @factory.post_generation
    def secret(obj, create, extracted, **kwargs):
        obj.secret = token_secret(obj.prefix)
