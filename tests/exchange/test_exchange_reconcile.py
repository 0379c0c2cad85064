"""The daily reconciliation: what we marked sent on a day against the
province's receipts for it."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from xinyong.core.models import AuditLog, OutboxMessage, OutboxStatus
from xinyong.core.outbox import outbox_enqueue
from xinyong.exchange.models import Reconciliation
from xinyong.exchange.services import delivery, reconcile

DAY = dt.date(2025, 10, 9)
NOON = dt.datetime(2025, 10, 9, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing


def send(n: int, start: int = 0) -> list[OutboxMessage]:
    with transaction.atomic():
        messages = [
            outbox_enqueue(topic="lists.entry", key=f"ListEntry:{i}", payload={"i": i})
            for i in range(start, start + n)
        ]
    with time_machine.travel(NOON, tick=False):
        delivery.deliver_batch()
    return messages


@pytest.mark.django_db
def test_a_day_that_balances(province):
    send(4)
    report = reconcile.reconciliation_build(day=DAY)
    assert (report.sent, report.confirmed, report.matched) == (4, 4, 4)
    assert report.balanced
    assert AuditLog.objects.filter(action="reconciliation.build").count() == 1
    # Another day has nothing.
    other = reconcile.reconciliation_build(day=DAY + dt.timedelta(days=1))
    assert (other.sent, other.confirmed) == (0, 0)


@pytest.mark.django_db
def test_differences_are_listed_by_key(province):
    lost_ack, forgotten, fine, *_ = send(4)
    # A push the province has but we do not know was delivered (the answer was lost).
    OutboxMessage.objects.filter(pk=lost_ack.pk).update(
        status=OutboxStatus.PENDING, delivered_at=None, ack_id=""
    )
    # A message the province lost.
    del province.state.received[forgotten.idempotency_key]
    # An acknowledgement that differs.
    OutboxMessage.objects.filter(pk=fine.pk).update(ack_id="HB-WRONG")
    report = reconcile.reconciliation_build(day=DAY)
    assert (report.sent, report.confirmed, report.matched) == (3, 3, 1)
    assert report.unexpected == [lost_ack.idempotency_key]
    assert report.unconfirmed == [forgotten.idempotency_key]
    assert report.ack_mismatch == [fine.idempotency_key]
    assert not report.balanced
    # The lost acknowledgement: re-sent, absorbed by its key, and the next report balances it.
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        delivery.deliver_batch()
    assert province.stats()["duplicates"] == 1
    report = reconcile.reconciliation_build(day=DAY)
    assert report.unexpected == []
    assert Reconciliation.objects.count() == 1  # rebuilt, not added


@pytest.mark.django_db
def test_an_unreachable_province_is_reported(settings):
    settings.XINYONG_EXCHANGE_URL = "http://127.0.0.1:9"
    settings.XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP = True
    report = reconcile.reconciliation_build(day=DAY)
    assert "连接省级平台失败" in report.error
    assert not report.balanced
