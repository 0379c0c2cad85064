"""Delivery of the outbox to the province: states, acknowledgements,
idempotency keys, retries with backoff, dead letters, the lease, retry by
the credit office, and the endpoint's rules (TLS, one URL)."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import transaction

from orgs.factories import ClerkFactory
from xinyong.core.errors import PermissionDeniedError
from xinyong.core.models import AuditLog, OutboxMessage, OutboxStatus
from xinyong.core.outbox import outbox_enqueue
from xinyong.core.tasks.leases import Lease
from xinyong.exchange import client
from xinyong.exchange.services import delivery
from xinyong.orgs.models import Notice


def enqueue(n: int, *, department_id=None, topic="lists.entry") -> list[OutboxMessage]:
    with transaction.atomic():
        return [
            outbox_enqueue(
                topic=topic, key=f"ListEntry:{i}", payload={"i": i}, department_id=department_id
            )
            for i in range(n)
        ]


@pytest.mark.django_db
def test_messages_are_sent_once_with_their_key_and_acknowledged(province):
    messages = enqueue(3)
    result = delivery.deliver_batch()
    assert (result.sent, result.failed, result.dead) == (3, 0, 0)
    assert province.stats()["received"] == 3
    assert province.stats()["duplicates"] == 0
    for message in messages:
        message.refresh_from_db()
        assert message.status == OutboxStatus.SENT
        assert message.delivered_at is not None
        assert message.ack_id == province.state.received[message.idempotency_key]["ack_id"]
        assert province.item(message.idempotency_key)["data"] == message.payload
    # Nothing is due any more: a second run sends nothing.
    assert delivery.deliver_batch().sent == 0
    assert province.stats()["received"] == 3
    assert AuditLog.objects.filter(action="exchange.deliver").count() == 1


@pytest.mark.django_db
def test_a_resent_message_is_absorbed_by_its_key(province):
    [message] = enqueue(1)
    delivery.deliver_batch()
    # As if the acknowledgement had been lost: the message is due again.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING, ack_id="")
    delivery.deliver_batch()
    message.refresh_from_db()
    assert province.stats() | {"topics": None} == {
        "received": 1,
        "duplicates": 1,
        "calls": 2,
        "failures": 0,
        "topics": None,
    }
    # The province answered the repeat with its first acknowledgement.
    assert message.ack_id == "HB-00000001"


def test_backoff_doubles_is_capped_and_jittered(settings):
    settings.XINYONG_EXCHANGE_BACKOFF_MS = 1000
    settings.XINYONG_EXCHANGE_BACKOFF_MAX_MS = 60_000
    rng = random.Random(7)  # noqa: S311 - a seeded jitter
    for attempts, full in [(1, 1), (2, 2), (3, 4), (5, 16), (7, 60), (20, 60)]:
        waits = [delivery.backoff(attempts, rng=rng).total_seconds() for _ in range(50)]
        assert all(full / 2 <= w <= full for w in waits), (attempts, min(waits), max(waits))
        assert len(set(waits)) > 1  # jitter: not all at once


@pytest.mark.django_db
def test_a_failed_call_is_retried_after_its_backoff_then_dead(province, credit_office, admin_user):
    province.state.fail_rate = 1.0
    [message] = enqueue(1)
    start = dt.datetime(2025, 10, 9, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        result = delivery.deliver_batch()
    assert (result.sent, result.failed) == (0, 1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "503" in message.last_error
    # Backoff 1 s for the first retry (jitter: 0.5–1 s).
    assert dt.timedelta(seconds=0.5) <= message.next_attempt_at - start <= dt.timedelta(seconds=1)
    with time_machine.travel(start + dt.timedelta(milliseconds=400), tick=False):
        assert not delivery.due().exists()
        assert delivery.deliver_batch().failed == 0  # not due: not tried
    assert province.stats()["calls"] == 1
    with time_machine.travel(start + dt.timedelta(seconds=2), tick=False):
        delivery.deliver_batch()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)
    assert message.next_attempt_at - (start + dt.timedelta(seconds=2)) >= dt.timedelta(seconds=1)
    # The third attempt is the last (XINYONG_EXCHANGE_ATTEMPTS = 3): dead, the office told.
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        result = delivery.deliver_batch()
    assert result.dead == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        OutboxStatus.DEAD,
        3,
        None,
    )
    notice = Notice.objects.get()
    assert notice.department is None  # the credit office
    assert "ListEntry:0" in notice.title and "503" in notice.body
    assert AuditLog.objects.filter(action="outbox_message.dead", object_id=str(message.pk)).exists()
    # Dead stays dead: no more calls.
    with time_machine.travel(start + dt.timedelta(days=1), tick=False):
        delivery.deliver_batch()
    assert province.stats()["calls"] == 3

    # The credit office retries it; the province is back.
    province.state.fail_rate = 0.0
    with pytest.raises(PermissionDeniedError):
        delivery.outbox_message_retry(actor=ClerkFactory(), message=message)
    delivery.outbox_message_retry(actor=admin_user, message=message)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    assert delivery.deliver_batch().sent == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.ack_id
    retry = AuditLog.objects.get(action="outbox_message.retry")
    assert retry.before["status"] == "dead"


@pytest.mark.django_db
def test_a_sent_message_cannot_be_retried(province, admin_user):
    [message] = enqueue(1)
    delivery.deliver_batch()
    message.refresh_from_db()
    with pytest.raises(Exception, match="不能重试"):
        delivery.outbox_message_retry(actor=admin_user, message=message)


@pytest.mark.django_db
def test_two_senders_never_send_at_once(province):
    enqueue(2)
    with Lease(delivery.LEASE) as other:
        assert other.held
        result = delivery.deliver_batch()
    assert result.busy and result.sent == 0
    assert province.stats()["calls"] == 0
    assert delivery.deliver_batch().sent == 2


@pytest.mark.django_db
def test_oldest_first_and_in_batches(province):
    messages = enqueue(5)
    assert delivery.deliver_batch(limit=2).sent == 2
    sent = set(OutboxMessage.objects.filter(status="sent").values_list("pk", flat=True))
    assert sent == {messages[0].pk, messages[1].pk}
    assert delivery.counts() == {"pending": 3, "failed": 0, "sent": 2, "dead": 0}


@pytest.mark.parametrize(
    ("url", "allow", "ok"),
    [
        ("", False, False),
        ("https://xyhb.example.cn/api", False, True),
        ("http://xyhb.example.cn/api", False, False),
        ("http://xyhb.example.cn/api", True, False),  # the flag is for this machine only
        ("http://127.0.0.1:9000", False, False),
        ("http://127.0.0.1:9000", True, True),
        ("https://user:secret@xyhb.example.cn/", False, False),
        ("ftp://xyhb.example.cn/", True, False),
    ],
)
def test_the_endpoint_must_be_tls_or_an_allowed_local_simulator(settings, url, allow, ok):
    settings.XINYONG_EXCHANGE_URL = url
    settings.XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP = allow
    if ok:
        client.endpoint()
    else:
        with pytest.raises(client.NotConfigured):
            client.endpoint()


@pytest.mark.django_db
def test_without_an_endpoint_nothing_is_sent_and_messages_wait(settings):
    settings.XINYONG_EXCHANGE_URL = ""
    enqueue(1)
    with pytest.raises(client.NotConfigured, match="XINYONG_EXCHANGE_URL"):
        delivery.deliver_batch()
    assert delivery.counts()["pending"] == 1


@pytest.mark.django_db
def test_a_redirect_is_never_followed(settings):
    """Personal data goes to the configured endpoint only: a 3xx is a failure."""
    import http.server
    import threading

    calls = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            calls.append(self.path)
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.XINYONG_EXCHANGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP = True
    try:
        [message] = enqueue(1)
        assert delivery.deliver_batch().failed == 1
    finally:
        server.shutdown()
        server.server_close()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and "HTTP 307" in message.last_error
    assert calls == ["/push"]


@pytest.mark.django_db
def test_the_next_due_moment(province):
    assert delivery.next_due_at() is None
    first, second = enqueue(2)
    start = dt.datetime(2025, 10, 9, 9, 0, tzinfo=dt.UTC)
    later = start + dt.timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=first.pk).update(
        status=OutboxStatus.FAILED, next_attempt_at=later
    )
    with time_machine.travel(start, tick=False):
        # The message never tried is due now, whatever the database's NULL order.
        assert delivery.next_due_at() == start
        OutboxMessage.objects.filter(pk=second.pk).update(status=OutboxStatus.SENT)
        assert delivery.next_due_at() == later
