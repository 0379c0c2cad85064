"""Delivery of the outbox to the provincial platform (service mode).

At least once: a message is marked sent only after the province answered
with an acknowledgement, each in its own short transaction, so a worker
killed mid-push leaves the message due and the next run sends it again;
the province sees the same `Idempotency-Key` and absorbs the duplicate.

One sender at a time: a run holds the lease `exchange.deliver`
(`core.tasks.leases`: ended by the OS or the database when its holder dies,
even by `kill -9`), so two workers never send the same message at once and
a dead worker blocks nobody.

A failed call counts an attempt and schedules the next one with exponential
backoff and jitter (`backoff`); after `XINYONG_EXCHANGE_ATTEMPTS` attempts
the message is dead and the credit office is told (`orgs.notices`); a person
retries it from the outbox page (`outbox_message_retry`).
"""

import datetime as dt
import logging
import random
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.crypto import DataKeyError
from xinyong.core.errors import ApplicationError
from xinyong.core.models import OutboxMessage, OutboxStatus
from xinyong.core.tasks.leases import Lease
from xinyong.exchange import client, formats
from xinyong.exchange.audit_actions import EXCHANGE_DELIVER, OUTBOX_DEAD, OUTBOX_RETRY
from xinyong.orgs.models import User
from xinyong.orgs.notices import notice_send
from xinyong.orgs.permissions import ensure_credit_office

logger = logging.getLogger(__name__)

LEASE = "exchange.deliver"
BATCH = 50
WAITING = (OutboxStatus.PENDING, OutboxStatus.FAILED)
_ERROR_LIMIT = 1000


@dataclass
class DeliveryCounts:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    busy: bool = False


def backoff(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """The wait before attempt `attempts + 1`: the base doubled per attempt
    made, capped, with jitter over its upper half (so that many messages
    failed together do not come back together)."""
    base = settings.XINYONG_EXCHANGE_BACKOFF_MS
    cap = settings.XINYONG_EXCHANGE_BACKOFF_MAX_MS
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    jitter = (rng or random).uniform(0, delay / 2)
    return dt.timedelta(milliseconds=delay / 2 + jitter)


def due(now: dt.datetime | None = None) -> QuerySet[OutboxMessage]:
    """Messages to send now, oldest first (index `outbox_status_idx`)."""
    now = now or clock.now()
    return (
        OutboxMessage.objects.filter(status__in=WAITING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")
    )


def next_due_at() -> dt.datetime | None:
    """When the earliest waiting message falls due (None: nothing waits).
    Due ones first: PostgreSQL sorts the NULL `next_attempt_at` of a message
    never tried last, SQLite first."""
    now = clock.now()
    if due(now).exists():
        return now
    later: dt.datetime | None = (
        OutboxMessage.objects.filter(status__in=WAITING, next_attempt_at__isnull=False)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return later


def counts() -> dict[str, int]:
    """Messages per delivery state (every state present, 0 if none)."""
    found = dict(
        OutboxMessage.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in OutboxStatus.values}


@transaction.atomic
def _mark_sent(message: OutboxMessage, ack_id: str) -> None:
    now = clock.now()
    OutboxMessage.objects.filter(pk=message.pk, status__in=WAITING).update(
        status=OutboxStatus.SENT,
        delivered_at=now,
        ack_id=ack_id[:100],
        attempts=message.attempts + 1,
        last_error="",
        next_attempt_at=None,
    )


@transaction.atomic
def _mark_failed(message: OutboxMessage, error: str) -> str:
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status not in WAITING:
        return str(locked.status)
    locked.attempts += 1
    locked.last_error = error[:_ERROR_LIMIT]
    if locked.attempts >= settings.XINYONG_EXCHANGE_ATTEMPTS:
        locked.status = OutboxStatus.DEAD
        locked.next_attempt_at = None
    else:
        locked.status = OutboxStatus.FAILED
        locked.next_attempt_at = clock.now() + backoff(locked.attempts)
    locked.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    if locked.status == OutboxStatus.DEAD:
        notice_send(
            department=None,
            title=_("省级平台报送失败：%(key)s") % {"key": locked.key},
            body=_(
                "消息 %(id)s（%(topic)s）已尝试 %(n)s 次仍未送达，已停止重试。最近错误：%(error)s"
            )
            % {"id": locked.pk, "topic": locked.topic, "n": locked.attempts, "error": error},
            link=f"/staff/exchange/outbox/?status={OutboxStatus.DEAD}",
        )
        audit_record(
            action=OUTBOX_DEAD,
            obj=locked,
            object_label=str(locked),
            after={"attempts": locked.attempts, "error": locked.last_error},
        )
    return str(locked.status)


def deliver_batch(*, limit: int = BATCH) -> DeliveryCounts:
    """Send up to `limit` due messages, oldest first. Raises
    `client.NotConfigured` when the service mode is not configured."""
    client.endpoint()
    result = DeliveryCounts()
    with Lease(LEASE) as lease:
        if not lease.held:
            result.busy = True
            return result
        for message in list(due()[:limit]):
            try:
                ack = client.push(formats.wire_payload(message))
            except (client.ExchangeError, DataKeyError, ApplicationError) as exc:
                state = _mark_failed(message, str(exc))
                if state == OutboxStatus.DEAD:
                    result.dead += 1
                else:
                    result.failed += 1
                logger.info("outbox %s: %s", message.pk, exc)
                continue
            _mark_sent(message, ack)
            result.sent += 1
    if result.sent or result.failed or result.dead:
        audit_record(action=EXCHANGE_DELIVER, object_id="outbox", after=asdict(result))
    return result


@transaction.atomic
def outbox_message_retry(
    *, actor: User, message: OutboxMessage, request: HttpRequest | None = None
) -> OutboxMessage:
    """The credit office sends a failed or dead message again, now, with a
    fresh round of attempts (its idempotency key unchanged: if it did arrive,
    the province answers with the same acknowledgement)."""
    ensure_credit_office(actor)
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status not in (OutboxStatus.FAILED, OutboxStatus.DEAD):
        raise ApplicationError(
            "wrong_status",
            _("该消息当前状态为“%(status)s”，不能重试") % {"status": locked.get_status_display()},
        )
    before = {"status": locked.status, "attempts": locked.attempts}
    locked.status = OutboxStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = None
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        actor=actor,
        action=OUTBOX_RETRY,
        obj=locked,
        object_label=str(locked),
        before=before,
        after={"status": locked.status},
        request=request,
    )

    def _wake() -> None:
        from xinyong.core.tasks import enqueue_unless_queued
        from xinyong.exchange.tasks import deliver

        enqueue_unless_queued(deliver)

    transaction.on_commit(_wake)
    return locked
