"""The audit log: declared actions, typed actors, and a client address nobody can forge."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from xinyong.core import audit
from xinyong.core.audit import Actor, ActorKind, AuditAction, audit_record, client_ip
from xinyong.core.audit_actions import CALENDAR_YEAR_IMPORT
from xinyong.core.env import env_networks
from xinyong.core.models import AuditLog
from xinyong.orgs.audit_actions import API_TOKEN_REVOKE, DEPARTMENT_CREATE
from xinyong.orgs.services import api_token_create

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_declared_action_is_named_and_labelled_for_the_oversight_reports():
    actions = audit.declared_actions()
    # Every app with services declares its actions at start (CoreConfig.ready).
    assert {"record.withdraw", "batch.process", "department.create", "disclosure.daily"} <= set(
        actions
    )
    for name, action in actions.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", name), name
        assert CHINESE.search(str(action.label)), name
        assert re.fullmatch(r"[a-z]+\.[A-Za-z_]+", action.object_type), name


@pytest.mark.django_db
def test_an_undeclared_action_is_refused():
    before = AuditLog.objects.count()
    forged = AuditAction(name="record.withdraw", label="撤回记录", object_type="records.Record")
    with pytest.raises(TypeError, match="not declared"):
        audit_record(action=forged)
    with pytest.raises(TypeError, match="not declared"):
        audit_record(action="record.withdraw")  # type: ignore[arg-type]
    assert AuditLog.objects.count() == before


def test_an_action_is_declared_once_and_by_a_well_formed_name():
    with pytest.raises(ImproperlyConfigured, match="twice"):
        audit.declare("record.withdraw", label="撤回", object_type="records.Record")
    with pytest.raises(ImproperlyConfigured, match="snake case"):
        audit.declare("Record Withdraw", label="撤回", object_type="records.Record")


def test_the_object_must_be_the_declared_type(department):
    with pytest.raises(TypeError, match=r"orgs\.ApiToken"):
        audit_record(action=API_TOKEN_REVOKE, obj=department)


def test_many_objects_are_logged_in_bulk_each_with_its_row(
    admin_user, department, other_department
):
    written = audit.audit_record_many(
        action=DEPARTMENT_CREATE,
        actor=admin_user,
        changes=[(department, {"n": 1}), (other_department, {"n": 2})],
    )
    assert written == 2
    rows = AuditLog.objects.filter(action="department.create").order_by("object_id")
    assert [(r.object_id, r.object_label, r.after, r.actor_id) for r in rows] == [
        (str(department.pk), department.name, {"n": 1}, admin_user.pk),
        (str(other_department.pk), other_department.name, {"n": 2}, admin_user.pk),
    ]
    forged = AuditAction(name="department.create", label="新建", object_type="orgs.Department")
    with pytest.raises(TypeError, match="not declared"):
        audit.audit_record_many(action=forged, changes=[(department, None)])
    with pytest.raises(TypeError, match=r"orgs\.ApiToken"):
        audit.audit_record_many(action=API_TOKEN_REVOKE, changes=[(department, None)])
    assert AuditLog.objects.filter(action="department.create").count() == 2


def test_actors_are_typed_user_token_system_or_anonymous(admin_user, department, rf):
    token, _secret = api_token_create(actor=admin_user, department=department, name="处罚系统")
    by_token = audit_record(action=API_TOKEN_REVOKE, actor=token, obj=token)
    assert by_token.actor_kind == ActorKind.TOKEN
    assert by_token.actor_token_id == token.pk and by_token.actor_id is None
    assert "处罚系统" in by_token.actor_label

    by_user = audit_record(action=DEPARTMENT_CREATE, actor=admin_user, obj=department)
    assert by_user.actor_kind == ActorKind.USER and by_user.actor_id == admin_user.pk

    request = rf.get("/")
    request.user = admin_user
    from_request = audit_record(action=DEPARTMENT_CREATE, obj=department, request=request)
    assert from_request.actor_kind == ActorKind.USER and from_request.actor_id == admin_user.pk

    by_system = audit_record(action=CALENDAR_YEAR_IMPORT)
    assert by_system.actor_kind == ActorKind.SYSTEM and by_system.actor_label == "系统"

    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    anonymous = audit_record(action=CALENDAR_YEAR_IMPORT, request=request)
    assert anonymous.actor_kind == ActorKind.ANONYMOUS

    named = audit_record(action=CALENDAR_YEAR_IMPORT, actor=Actor(ActorKind.SYSTEM, "每日任务"))
    assert named.actor_label == "每日任务"

    with pytest.raises(TypeError, match="audit actor"):
        audit_record(action=CALENDAR_YEAR_IMPORT, actor="张三")  # type: ignore[arg-type]


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    # Without XINYONG_TRUSTED_PROXIES any client could write the header.
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        # From an untrusted peer the header is still a forgery.
        assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "::1"])
def test_behind_trusted_proxies_the_right_most_untrusted_address_is_the_client():
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # The client wrote "1.2.3.4" itself; the proxy appended the real peer.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # Two proxies in a row.
    assert client_ip(_request("::1", "1.2.3.4, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    # A malformed hop stops the walk at the last address a proxy vouched for.
    assert client_ip(_request("10.0.0.2", "<script>, 10.0.0.5")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.2", "")) == "10.0.0.2"


def test_a_malformed_peer_address_is_not_stored():
    assert client_ip(_request("not-an-ip")) is None


def test_trusted_proxies_setting_is_checked_at_start(monkeypatch):
    monkeypatch.setenv("XINYONG_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/24")
    assert env_networks("XINYONG_TRUSTED_PROXIES") == ["10.0.0.1", "192.168.0.0/24"]
    monkeypatch.setenv("XINYONG_TRUSTED_PROXIES", "10.0.0.1, proxy.local")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.local"):
        env_networks("XINYONG_TRUSTED_PROXIES")


@pytest.mark.django_db(transaction=True)
def test_every_action_the_platform_writes_is_declared():
    """The demo (built-in catalog, imports) and the daily job write through the
    real services: each row they leave names a declared action."""
    call_command("demo", verbosity=0)
    call_command("daily", verbosity=0)
    written = set(AuditLog.objects.values_list("action", flat=True).distinct())
    assert {"batch.process", "disclosure.daily", "catalog_item.create"} <= written
    assert written <= set(audit.declared_actions())


@pytest.fixture
def rf():
    return RequestFactory()
