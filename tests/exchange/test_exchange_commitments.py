"""Commitments reach the provincial platform (issue 14 §5): the messages
the commitment services write on topic `rights.commitment` are delivered
like every topic, by their idempotency keys, with their payloads."""

import datetime as dt

import pytest

from rights.commitments import record_commitment
from rights.factories import company
from rights.repair_factories import file_repair, negative_record
from xinyong.core.models import OutboxMessage, OutboxStatus
from xinyong.exchange.services import delivery
from xinyong.rights.services.commitment_fulfilment import commitment_fulfil

pytestmark = pytest.mark.django_db


def test_a_repair_commitment_and_its_fulfilment_reach_the_province(
    province, clerk, department, xzcf, pin_today
):
    pin_today("2025-06-03")
    record = negative_record(department=department, subject=company(), decided=dt.date(2025, 1, 2))
    repair_commitment = file_repair(record).repair.commitment
    kept = record_commitment(clerk, department)
    commitment_fulfil(actor=clerk, commitment=kept, facts="已按期补齐材料")
    messages = list(OutboxMessage.objects.filter(topic="rights.commitment").order_by("id"))
    assert [(m.key, m.payload["event"]) for m in messages] == [
        (f"Commitment:{repair_commitment.pk}", "sign"),
        (f"Commitment:{kept.pk}", "sign"),
        (f"Commitment:{kept.pk}", "fulfil"),
    ]
    delivery.deliver_batch()
    for message in messages:
        message.refresh_from_db()
        assert message.status == OutboxStatus.SENT
        body = province.item(message.idempotency_key)
        assert body["topic"] == "rights.commitment" and body["data"] == message.payload
    assert province.item(messages[0].idempotency_key)["data"]["number"] == repair_commitment.number
