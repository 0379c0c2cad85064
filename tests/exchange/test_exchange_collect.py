"""What goes out: 双公示 records in the national column codes, withdrawals,
new subjects' codes, lists' and rights' messages with their department, and
the resident ID decrypted only on the wire."""

import pytest
from django.db import transaction

from lists.factories import ListEntryFactory
from support.exchange_rows import PERSON_ID, licence_row, penalty_row, person_penalty_row
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.exchange import formats
from xinyong.exchange.services import collect, delivery
from xinyong.lists.services.common import enqueue_change
from xinyong.records.services import record_withdraw


def record_messages():
    return list(OutboxMessage.objects.filter(topic=formats.RECORD_TOPIC).order_by("id"))


@pytest.mark.django_db
def test_records_go_out_in_the_national_columns(pin_today, submit, xzxk, xzcf, province):
    pin_today("2025-10-09")
    [licence] = submit(xzxk, [licence_row(1)])
    [penalty] = submit(xzcf, [penalty_row(2)])
    collect.collect_all()
    by_key = {m.key: m for m in record_messages()}
    lic = by_key[f"Record:{licence.pk}"].payload
    assert lic["format"] == "XZXK" and lic["op"] == "upsert"
    columns = lic["columns"]
    assert columns["XK_XDR_MC"] == "神农架林海1商贸有限公司"
    assert columns["XK_WSH"] == "神市监许〔2025〕1号"
    assert columns["XK_XKLB"] == "02"  # 特许
    assert columns["XK_JDRQ"] == "2025/09/30"
    assert columns["XK_YXQZI"] == "2030/09/29"
    assert set(columns) == {c.code for c in formats.columns("XZXK")}  # jsonb keeps no order
    pen = by_key[f"Record:{penalty.pk}"]
    assert pen.payload["columns"]["CF_WSH"] == penalty.doc_number
    assert pen.payload["columns"]["CF_CFLB"] == penalty.data["penalty_category"]
    assert pen.department_id == penalty.department_id
    # The registry's new subjects' codes go too.
    codes = OutboxMessage.objects.filter(topic=formats.SUBJECT_TOPIC)
    assert {m.payload["columns"]["ZT_TYSHXYDM"] for m in codes} >= {licence.subject.uscc}
    # Reading again adds nothing.
    before = OutboxMessage.objects.count()
    assert collect.collect_all() == 0
    assert OutboxMessage.objects.count() == before


@pytest.mark.django_db
def test_a_withdrawal_goes_out_after_the_record(pin_today, submit, xzcf, clerk, province):
    pin_today("2025-10-09")
    [penalty] = submit(xzcf, [penalty_row(1)])
    collect.collect_all()
    pin_today("2025-10-10T09:00:00")  # the clock stands still while pinned: move it on
    record_withdraw(actor=clerk, record=penalty, reason="复议撤销原处罚决定", kind="revoked")
    collect.collect_all()
    ops = [(m.payload["op"], m.payload.get("reason_text", "")) for m in record_messages()]
    assert ops[0][0] == "upsert"
    assert ops[-1][0] == "withdraw" and "复议撤销" in ops[-1][1]
    delivery.deliver_batch()
    assert province.stats()["topics"][formats.RECORD_TOPIC] == len(ops)


@pytest.mark.django_db
def test_a_persons_id_is_decrypted_only_on_the_wire(pin_today, submit, xzcf, province):
    pin_today("2025-10-09")
    [penalty] = submit(xzcf, [person_penalty_row(1)])
    assert penalty.data["id_number"] != PERSON_ID  # masked as stored
    collect.collect_all()
    [message] = record_messages()
    # The outbox never holds the clear number.
    assert PERSON_ID not in str(message.payload)
    assert message.payload["personal_id"] == {
        "column": "CF_XDR_ZJHM",
        "subject_id": penalty.subject_id,
    }
    delivery.deliver_batch()
    sent = province.item(message.idempotency_key)["data"]
    assert sent["columns"]["CF_XDR_ZJHM"] == PERSON_ID
    assert "personal_id" not in sent
    reveal = AuditLog.objects.get(action="subject.reveal_id")
    assert reveal.object_id == str(penalty.subject_id)
    assert message.idempotency_key in reveal.reason
    message.refresh_from_db()
    assert PERSON_ID not in str(message.payload)


@pytest.mark.django_db
def test_lists_messages_carry_their_department(department):
    """The lists' messages name the deciding department: its staff see their state."""
    entry = ListEntryFactory(decided_by=department)
    with transaction.atomic():
        enqueue_change(entry, "decided")
    message = OutboxMessage.objects.get(topic="lists.entry")
    assert message.department_id == department.pk
