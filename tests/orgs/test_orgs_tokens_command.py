"""`xinyong tokens create|list|revoke` (issue 12, item 6)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from orgs.factories import ApiTokenFactory
from xinyong.core.models import AuditLog
from xinyong.orgs import services
from xinyong.orgs.models import ApiToken

pytestmark = pytest.mark.django_db


def tokens(*args):
    out = io.StringIO()
    call_command("tokens", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_secret_alone_on_the_last_line(department):
    output = tokens("create", "--department", "scjg", "--name", "处罚系统")
    secret = output.splitlines()[-1]
    token = services.api_token_authenticate(secret)
    assert token is not None and token.department == department and token.name == "处罚系统"
    assert (token.expires_at - token.created_at).days == 365
    assert token.created_by is None
    row = AuditLog.objects.get(action="api_token.create")
    assert row.actor_kind == "system" and row.actor_label.startswith("命令行")
    assert secret not in str(row.after)


def test_create_with_expires_days(department):
    secret = tokens(
        "create", "--department", "scjg", "--name", "x", "--expires-days", "30"
    ).splitlines()[-1]
    token = services.api_token_authenticate(secret)
    assert (token.expires_at - token.created_at).days == 30


def test_create_refuses_unknown_department_and_bad_days(department):
    with pytest.raises(CommandError, match="未找到简码为 nope 的部门"):
        tokens("create", "--department", "nope", "--name", "x")
    with pytest.raises(CommandError, match="有效期"):
        tokens("create", "--department", "scjg", "--name", "x", "--expires-days", "0")
    assert not ApiToken.objects.exists()


def test_list_shows_prefix_state_and_no_secret(department, other_department):
    mine = ApiTokenFactory(department=department, name="处罚系统")
    theirs = ApiTokenFactory(department=other_department, name="税务系统")
    every = tokens("list")
    assert mine.prefix in every and theirs.prefix in every
    assert mine.secret not in every
    assert "有效" in every and "共 2 个令牌" in every
    only = tokens("list", "--department", "scjg")
    assert mine.prefix in only and theirs.prefix not in only


def test_revoke_by_prefix_is_audited_and_stops_the_token(department):
    token = ApiTokenFactory(department=department)
    output = tokens("revoke", token.prefix)
    assert "已吊销" in output
    assert services.api_token_authenticate(token.secret) is None
    row = AuditLog.objects.get(action="api_token.revoke")
    assert row.actor_kind == "system" and row.actor_label.startswith("命令行")
    assert "无需操作" in tokens("revoke", f"xy_{token.prefix}_")
    assert "已吊销" in tokens("list")
    with pytest.raises(CommandError, match="未找到前缀为"):
        tokens("revoke", "ffffffff")


@pytest.mark.parametrize("sub", [[], ["create"], ["list"], ["revoke"]])
def test_help_of_each_subcommand(sub, tmp_path):
    env = {**os.environ, "XINYONG_DATA_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    xinyong = str(Path(sys.executable).with_name("xinyong"))
    result = subprocess.run(
        [xinyong, "tokens", *sub, "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "usage: xinyong tokens" in result.stdout
    assert "令牌" in result.stdout
