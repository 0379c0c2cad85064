"""The transactional outbox: messages for other systems, written with the change.

An app that changes something another system must learn about (a list entry
for the provincial platform, 信用湖北) calls `outbox_enqueue` inside the
transaction of its service; the row commits or rolls back with the change.
The deliverer (`exchange.services.delivery`) sends them oldest first and keeps
their delivery state (status, attempts, backoff, acknowledgement).

Topics are `<app>.<entity>` (`lists.entry`); the key names the object
(`ListEntry:42`); the payload is JSON the receiving format is built from. The
idempotency key is, unless given, the topic, the key and a digest of the
payload: the same change enqueued twice is one message.
"""

import hashlib
import json
from typing import Any

from django.db import transaction

from xinyong.core import clock
from xinyong.core.models import OutboxMessage


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def outbox_enqueue(
    *,
    topic: str,
    key: str,
    payload: dict[str, Any],
    idempotency_key: str = "",
    department_id: int | None = None,
) -> OutboxMessage:
    """Write one message in the caller's transaction (it must be in one: a
    message outside the change's transaction could survive a rolled-back change)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the change's transaction")
    idempotency_key = idempotency_key or f"{topic}:{key}:{_digest(payload)}"
    message, _created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "topic": topic,
            "key": key,
            "payload": payload,
            "created_at": clock.now(),
            "department_id": department_id,
        },
    )
    return message


def pending(limit: int = 100) -> list[OutboxMessage]:
    """Undelivered messages, oldest first (the partial index `outbox_pending_idx`)."""
    return list(OutboxMessage.objects.filter(delivered_at__isnull=True).order_by("id")[:limit])
