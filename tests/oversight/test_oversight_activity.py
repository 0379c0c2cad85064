"""Platform use per department, counted from the audit log's declared
actions: in the CLI's JSON line and in the 通报's section 六."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from orgs.factories import ApiTokenFactory, ClerkFactory
from xinyong.core import clock
from xinyong.core.audit import ActorKind, audit_record
from xinyong.core.models import AuditLog
from xinyong.orgs.audit_actions import NOTICE_SEND
from xinyong.oversight.activity import department_activity
from xinyong.oversight.periods import Month
from xinyong.oversight.services.reports import report_generate
from xinyong.rights.audit_actions import DISCLOSURE_VIEW
from xinyong.sanctions.audit_actions import CHECK_RUN

pytestmark = pytest.mark.django_db

OCTOBER = Month(2025, 10)


def act(actor, action, on: str, times: int = 1) -> None:
    with clock.pinned(dt.datetime.fromisoformat(on).replace(tzinfo=clock.SHANGHAI)):
        for _n in range(times):
            audit_record(actor=actor, action=action, object_id=1, object_label="x")


@pytest.fixture
def used(department, other_department, credit_office, officer):
    """In October (Shanghai time): the market regulator's officer ran 3 checks
    and viewed a dossier once; its API token ran 2 checks; the tax bureau did
    nothing; the credit office acted (not an assessed department)."""
    token = ApiTokenFactory(department=department)
    act(officer, CHECK_RUN, "2025-10-01T00:10", times=3)  # 00:10 in Shanghai is October
    act(officer, DISCLOSURE_VIEW, "2025-10-31T23:50")
    act(token, CHECK_RUN, "2025-10-15T10:00", times=2)
    act(officer, CHECK_RUN, "2025-09-30T23:59")  # September
    act(officer, CHECK_RUN, "2025-11-01T00:00")  # November
    act(ClerkFactory(department=credit_office), NOTICE_SEND, "2025-10-10T09:00")
    # A row of an action no longer declared is history, not counted.
    row = AuditLog(
        at=dt.datetime(2025, 10, 9, 2, tzinfo=dt.UTC),
        actor=officer,
        actor_kind=ActorKind.USER,
        action="retired.action",
    )
    row.save()
    return token


def test_actions_are_counted_per_department_and_month(used, department, other_department):
    found = department_activity(OCTOBER, [department.pk, other_department.pk])
    assert dict(found[department.pk].counts) == {"check.run": 5, "disclosure.view": 1}
    assert found[department.pk].total == 6
    assert found[department.pk].top(1) == [("联合奖惩核查", 5)]
    assert found[other_department.pk].total == 0


def test_the_cli_line_carries_the_actions(used, department, other_department, capsys):
    call_command("oversight", "indicators", "--month", "2025-10", "--json")
    lines = {
        line["department"]: line for line in map(json.loads, capsys.readouterr().out.splitlines())
    }
    assert lines["scjg"]["actions"] == {"check.run": 5, "disclosure.view": 1}
    assert lines["shuiwu"]["actions"] == {}


def test_the_tongbao_shows_use_and_names_the_idle(used, department, other_department, pin_today):
    pin_today(dt.date(2025, 11, 7))
    report = report_generate(month=OCTOBER)
    html = report.html
    section = html[html.index('id="activity"') :]
    assert "六、平台使用情况" in html
    assert section.index(department.name) < section.index(other_department.name)
    assert "联合奖惩核查 5" in section and "本月无操作记录" in section
    assert report.summary["idle"] == [other_department.name]
