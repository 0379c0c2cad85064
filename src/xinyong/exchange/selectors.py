"""Reads of the exchange, filtered by who asks: the credit office sees every
message, a department only those carrying its own items."""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from xinyong.core.errors import NotFoundError
from xinyong.core.models import OutboxMessage, OutboxStatus
from xinyong.exchange.models import InboundItem, InboundRun, Reconciliation
from xinyong.orgs.models import User


def outbox_for(user: User) -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.all()
    if not user.is_credit_office:
        messages = messages.filter(department_id=user.department_id)
    return messages


def outbox_list_for(user: User, *, status: str = "", topic: str = "") -> QuerySet[OutboxMessage]:
    messages = outbox_for(user)
    if status in OutboxStatus.values:
        messages = messages.filter(status=status)
    if topic:
        messages = messages.filter(topic=topic)
    return messages.order_by("-id")


def outbox_counts_for(user: User) -> dict[str, int]:
    found = dict(
        outbox_for(user).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in OutboxStatus.values}


def outbox_get_for(user: User, pk: int) -> OutboxMessage:
    message = outbox_for(user).filter(pk=pk).first()
    if message is None:
        raise NotFoundError("not_found", _("未找到该消息，或您无权访问"))
    return message


def outbox_topics() -> list[str]:
    return sorted(set(OutboxMessage.objects.values_list("topic", flat=True).distinct()))


def inbound_runs(limit: int = 100) -> QuerySet[InboundRun]:
    return InboundRun.objects.order_by("-id")[:limit]


def inbound_rejected(limit: int = 100) -> QuerySet[InboundItem]:
    return InboundItem.objects.filter(outcome=InboundItem.Outcome.REJECTED).order_by("-updated_at")[
        :limit
    ]


def reconciliations(limit: int = 60) -> QuerySet[Reconciliation]:
    return Reconciliation.objects.order_by("-day")[:limit]
