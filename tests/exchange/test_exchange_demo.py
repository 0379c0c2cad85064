"""The demo's exchange: real messages delivered to an in-process simulator,
the demo feeds applied, today's reconciliation; a second load skips."""

import io

import pytest
from django.core.management.base import OutputWrapper
from django.db import transaction

from xinyong.core.models import OutboxMessage, OutboxStatus
from xinyong.core.outbox import outbox_enqueue
from xinyong.exchange import demo
from xinyong.exchange.models import InboundRun, Reconciliation
from xinyong.lists.models import ListEntry


@pytest.mark.django_db
def test_the_demo_sends_part_of_the_outbox_and_pulls_the_feeds(credit_office, settings):
    settings.XINYONG_EXCHANGE_URL = ""  # as `xinyong run` leaves it
    with transaction.atomic():
        for i in range(demo.DELIVERED + 5):
            outbox_enqueue(topic="lists.entry", key=f"ListEntry:{i}", payload={"i": i})
    out = io.StringIO()
    demo.load(seed=1, stdout=OutputWrapper(out))
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).exclude(ack_id="").count() == (
        demo.DELIVERED
    )
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 5
    assert ListEntry.objects.filter(status="decided").count() == 2
    assert ListEntry.objects.filter(status="removed").count() == 1
    report = Reconciliation.objects.get()
    assert (report.sent, report.confirmed, report.balanced) == (
        demo.DELIVERED,
        demo.DELIVERED,
        True,
    )
    runs = InboundRun.objects.count()
    demo.load(seed=1, stdout=OutputWrapper(out))
    assert InboundRun.objects.count() == runs
    assert "跳过" in out.getvalue()
