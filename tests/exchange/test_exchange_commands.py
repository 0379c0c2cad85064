"""`xinyong exchange status|deliver|pull|reconcile|files` and the periodic tasks."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from xinyong.core import clock
from xinyong.core.models import OutboxMessage, OutboxStatus
from xinyong.core.outbox import outbox_enqueue
from xinyong.exchange import tasks
from xinyong.exchange.models import Reconciliation


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("exchange", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def enqueue(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            outbox_enqueue(topic="lists.entry", key=f"ListEntry:{i}", payload={"i": i})


@pytest.mark.django_db
def test_status_ends_with_the_counts_line(settings):
    settings.XINYONG_EXCHANGE_URL = ""
    enqueue(5)
    OutboxMessage.objects.filter(pk__in=OutboxMessage.objects.order_by("id")[:2]).update(
        status=OutboxStatus.SENT
    )
    OutboxMessage.objects.filter(key="ListEntry:2").update(status=OutboxStatus.FAILED)
    OutboxMessage.objects.filter(key="ListEntry:3").update(status=OutboxStatus.DEAD)
    lines = run("status")
    assert lines[-1] == "pending=1 sent=2 failed=2"
    assert "已停止重试：1" in lines


@pytest.mark.django_db
def test_deliver_reconcile_and_files_commands(province, own_files, pin_today):
    enqueue(3)
    assert run("deliver", "--until-empty")[-1] == "送达 3，失败 0，停止重试 0"
    assert run("status")[-1] == "pending=0 sent=3 failed=0"
    day = clock.today().isoformat()
    assert run("reconcile", "--day", day)[0].startswith(f"{day} sent=3 confirmed=3 matched=3")
    assert any(line.startswith(f"XZCF-{day}.xlsx") for line in run("files", "--day", day))


@pytest.mark.django_db
def test_the_deliver_task_sends_and_waits_when_not_configured(province, settings):
    enqueue(2)
    result = tasks.deliver.call()
    assert result["sent"] == 2
    settings.XINYONG_EXCHANGE_URL = ""
    with transaction.atomic():
        outbox_enqueue(topic="lists.entry", key="ListEntry:99", payload={})
    assert tasks.deliver.call()["configured"] is False
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 1


@pytest.mark.django_db
def test_the_daily_task_reconciles_yesterday_once(province, own_files, pin_today):
    pin_today("2025-10-10")
    first = tasks.daily.call()
    assert first["day"] == "2025-10-09" and "files" in first and "reconciliation" in first
    again = tasks.daily.call()
    assert "files" not in again and "reconciliation" not in again
    assert Reconciliation.objects.count() == 1
