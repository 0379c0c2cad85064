"""The transactional outbox: a message commits with its change, never alone."""

import pytest
from django.db import transaction

from xinyong.core import outbox
from xinyong.core.models import OutboxMessage


@pytest.mark.django_db(transaction=True)
def test_message_commits_or_rolls_back_with_the_change():
    with pytest.raises(RuntimeError, match="transaction"):
        outbox.outbox_enqueue(topic="t", key="k", payload={})
    with transaction.atomic():
        outbox.outbox_enqueue(topic="lists.entry", key="ListEntry:1", payload={"event": "decided"})
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox.outbox_enqueue(topic="lists.entry", key="ListEntry:2", payload={"event": "decided"})
        1 / 0  # noqa: B018 - the change fails after its message was written
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["ListEntry:1"]


@pytest.mark.django_db
def test_same_change_enqueued_twice_is_one_message():
    first = outbox.outbox_enqueue(topic="t", key="k", payload={"a": 1})
    again = outbox.outbox_enqueue(topic="t", key="k", payload={"a": 1})
    other = outbox.outbox_enqueue(topic="t", key="k", payload={"a": 2})
    assert first.pk == again.pk != other.pk
    assert [m.pk for m in outbox.pending()] == [first.pk, other.pk]
