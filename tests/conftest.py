"""Shared fixtures: the clock, a department, users per role (made by the apps' factories)."""

import pytest

from orgs.factories import (
    ClerkFactory,
    CreditAdminFactory,
    CreditOfficeFactory,
    DepartmentAdminFactory,
    DepartmentFactory,
    OfficerFactory,
)
from xinyong.catalog.models import CatalogItem
from xinyong.core import clock, workdays
from xinyong.orgs.models import Department, User


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_calendar():
    """A rolled-back test sends no signal: never let one test's holiday table
    leak into the next through the per-process calendar cache."""
    workdays.reset_calendar_cache()
    yield
    workdays.reset_calendar_cache()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Nor through Django's cache (search results, page fragments, counts)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pin_today():
    """Stand on a given day: `pin_today("2025-09-30")`; undone after the test."""
    stack = []

    def pin(day):
        cm = clock.pinned(day)
        cm.__enter__()
        stack.append(cm)

    yield pin
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def credit_office(db) -> Department:
    return CreditOfficeFactory()


@pytest.fixture
def department(db) -> Department:
    return DepartmentFactory(name="林区市场监督管理局", short_code="scjg")


@pytest.fixture
def other_department(db) -> Department:
    return DepartmentFactory(name="国家税务总局神农架林区税务局", short_code="shuiwu")


@pytest.fixture
def admin_user(credit_office) -> User:
    return CreditAdminFactory(username="admin", department=credit_office)


@pytest.fixture
def clerk(department) -> User:
    return ClerkFactory(username="clerk", department=department)


@pytest.fixture
def officer(department) -> User:
    return OfficerFactory(username="officer", department=department)


@pytest.fixture
def department_admin(department) -> User:
    return DepartmentAdminFactory(username="dept_admin", department=department)


@pytest.fixture
def other_clerk(other_department) -> User:
    return ClerkFactory(username="other_clerk", department=other_department)


@pytest.fixture
def xzcf(db, department) -> CatalogItem:
    """The built-in 行政处罚 item, submitted by `department`."""
    item = CatalogItem.objects.select_related("current_version").get(code="XZCF")
    item.departments.add(department)
    return item


@pytest.fixture
def xzxk(db, department) -> CatalogItem:
    """The built-in 行政许可 item, submitted by `department`."""
    item = CatalogItem.objects.get(code="XZXK")
    item.departments.add(department)
    return item


@pytest.fixture
def client_as(client):
    """`client_as(user)` logs the test client in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def own_exports_and_rate_counters(settings, tmp_path):
    """Each test has its own public CSV files and rate-limit counters (the
    limits stay on: no test of normal use may meet them)."""
    from xinyong.core import ratelimit
    from xinyong.records import exports

    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.RATE_LIMIT_FILE = tmp_path / "ratelimit.sqlite3"
    exports._manifests.clear()
    ratelimit.reset()
    yield
    ratelimit.reset()
