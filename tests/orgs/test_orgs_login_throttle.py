"""Login throttling (issue 12, item 6): 5 failures of one account from one address
lock that pair out for 15 minutes, on the staff login and the admin login, audited.

django-axes reads `django.utils.timezone.now`, not `core.clock`: time-machine moves
the real clock.
"""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from orgs.factories import TEST_PASSWORD
from xinyong.core.models import AuditLog

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOGINS = [
    pytest.param("/staff/login/", "/staff/", id="staff"),
    pytest.param("/admin/login/", "/admin/", id="admin"),
]


@pytest.fixture
def admin_user(admin_user):
    """The credit office's administrator, who may also use the Django admin."""
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    return admin_user


def _login(client, url, username, password, ip="203.0.113.7", **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in(response, home):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


@pytest.mark.parametrize(("url", "home"), LOGINS)
def test_five_failures_lock_out_even_the_right_password(client, admin_user, url, home):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert _login(client, url, "admin", "wrong").status_code == 200
        locked = _login(client, url, "admin", "wrong")
        assert locked.status_code == 429
        right = _login(client, url, "admin", TEST_PASSWORD)
    assert right.status_code == 429
    page = right.content.decode()
    assert "登录已暂时锁定" in page
    assert "15 分钟" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("url", "home"), LOGINS)
def test_lockout_ends_after_fifteen_minutes(client, admin_user, url, home):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _login(client, url, "admin", "wrong")
    with time_machine.travel(START + dt.timedelta(minutes=14, seconds=50), tick=False):
        assert _login(client, url, "admin", TEST_PASSWORD).status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=10), tick=False):
        assert _logged_in(_login(client, url, "admin", TEST_PASSWORD), home)


def test_lockout_is_per_account_and_address(client, admin_user, clerk):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _login(client, "/staff/login/", "admin", "wrong")
        # The same account from another address, another account from the same address.
        assert _logged_in(
            _login(client, "/staff/login/", "admin", TEST_PASSWORD, ip="198.51.100.9"), "/staff/"
        )
        client.logout()
        assert _logged_in(_login(client, "/staff/login/", "clerk", TEST_PASSWORD), "/staff/")


def test_success_before_the_limit_starts_the_count_again(client, admin_user):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            _login(client, "/staff/login/", "admin", "wrong")
        assert _logged_in(_login(client, "/staff/login/", "admin", TEST_PASSWORD), "/staff/")
        client.logout()
        for _ in range(4):
            _login(client, "/staff/login/", "admin", "wrong")
        assert _logged_in(_login(client, "/staff/login/", "admin", TEST_PASSWORD), "/staff/")


@pytest.mark.parametrize(("url", "home"), LOGINS)
def test_failures_and_lockout_are_audited_with_the_client_address(client, admin_user, url, home):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _login(client, url, "admin", "wrong", ip="203.0.113.7")
    failures = AuditLog.objects.filter(action="login.fail")
    assert failures.count() == 5
    assert {row.ip for row in failures} == {"203.0.113.7"}
    assert {row.object_label for row in failures} == {"admin"}
    assert {row.object_id for row in failures} == {str(admin_user.pk)}
    lockout = AuditLog.objects.get(action="login.lockout")  # the fifth failure locks
    assert lockout.ip == "203.0.113.7"
    assert lockout.object_label == "admin"
    assert lockout.actor_kind == "anonymous"
    assert "wrong" not in str(lockout.after) + "".join(str(r.after) for r in failures)


def test_forwarded_address_is_ignored_without_a_trusted_proxy(client, admin_user):
    """A client cannot dodge the lockout by writing a new X-Forwarded-For each time."""
    with time_machine.travel(START, tick=False):
        for n in range(5):
            _login(client, "/staff/login/", "admin", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        right = _login(
            client, "/staff/login/", "admin", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9"
        )
    assert right.status_code == 429
    assert set(AuditLog.objects.filter(action="login.fail").values_list("ip", flat=True)) == {
        "203.0.113.7"
    }


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_locked_out(client, admin_user):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _login(
                client,
                "/staff/login/",
                "admin",
                "wrong",
                ip="127.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.50",
            )
        locked = _login(
            client,
            "/staff/login/",
            "admin",
            TEST_PASSWORD,
            ip="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.50",
        )
        other = _login(
            client,
            "/staff/login/",
            "admin",
            TEST_PASSWORD,
            ip="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.51",
        )
    assert locked.status_code == 429
    assert _logged_in(other, "/staff/")
    lockouts = AuditLog.objects.filter(action="login.lockout")
    assert set(lockouts.values_list("ip", flat=True)) == {"203.0.113.50"}
