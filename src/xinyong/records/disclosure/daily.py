"""The daily steps of `xinyong daily`: set-based UPDATEs chosen by state and
date through partial indexes, never a record at a time."""

import datetime as dt

from django.db.models import BooleanField, Case, Value, When

from xinyong.core import clock
from xinyong.records.disclosure.rules import RuleBook
from xinyong.records.disclosure.windows import StepCounts, add_months
from xinyong.records.models import Record


def _on_time(day: dt.date) -> Case:
    # published_on_time: NULL where the item sets no deadline.
    return Case(
        When(publish_due__isnull=True, then=Value(None)),
        When(publish_due__gte=day, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def publish(day: dt.date, *, counts: StepCounts, book: RuleBook | None = None) -> None:
    """Publish every record that waits on `day`: published_on = day."""
    book = book or RuleBook.load()
    now = clock.now()
    waiting = Record.objects.awaiting_publication(day)
    counts.published_late += waiting.filter(publish_due__lt=day).count()
    for code, tier in book.publication_tiers():
        # Periods that run from publication end `max_months` after today.
        counts.published += waiting.filter(disclosure_rule=code, disclosure_tier=tier.key).update(
            published_on=day,
            published_on_time=_on_time(day),
            disclosure_end=add_months(day, tier.max_months),
            updated_at=now,
        )
    counts.published += waiting.update(
        published_on=day, published_on_time=_on_time(day), updated_at=now
    )


def expire(day: dt.date, *, counts: StepCounts) -> None:
    """End what passed its last day: out of the public view from
    disclosure_end + 1, whatever day the job runs (a missed week is dated
    right)."""
    now = clock.now()
    lapsed = Record.objects.filter(
        status=Record.Status.ACTIVE, unpublish_reason="", disclosure_end__lt=day
    )
    # Never public (submitted after its window): nothing to remove, no date.
    counts.lapsed_unpublished += lapsed.filter(published_on__isnull=True).update(
        unpublish_reason=Record.UnpublishReason.EXPIRED, unpublished_on=None, updated_at=now
    )
    ends = sorted(
        end
        for end in lapsed.order_by().values_list("disclosure_end", flat=True).distinct()
        if end is not None  # never: the filter is disclosure_end < day
    )
    for end in ends:
        counts.expired += lapsed.filter(disclosure_end=end).update(
            unpublish_reason=Record.UnpublishReason.EXPIRED,
            unpublished_on=end + dt.timedelta(days=1),
            updated_at=now,
        )
