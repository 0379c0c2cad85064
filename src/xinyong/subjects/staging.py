"""The subjects of an import while it runs (see `records.staging`).

A subject an import creates carries the batch in `pending_batch_id` until the
batch is done (made live right after the batch's last transaction, in
chunks; the intake's recovery finishes the job if the process died
between): the portal's search, the subject pages, the staff pages and
the counts leave it out (`Subject.objects.live()`, `search.query`). The
search index holds it from the start (its triggers are unchanged), so making
it live is one UPDATE of a small partial index. If the batch fails, its
subjects go, with their codes, aliases, conflicts and sightings, unless
another import's record meanwhile names one (then it stays, pending that
import, or live if that import is done).
"""

from collections.abc import Callable

from django.db import transaction

from xinyong.subjects.models import Subject, SubjectConflict

# Subjects removed per transaction when a batch is discarded.
DISCARD_CHUNK = 1_000


# Subjects made live per transaction once their batch is done.
PUBLISH_CHUNK = 5_000


def subject_batch_publish(*, batch_id: int) -> int:
    """The subjects of a batch that is done become live, a chunk per
    transaction (a subject without its records shows nothing of the
    batch, so they need not wait in the batch's last transaction, which
    other writers wait for). Idempotent; returns how many."""
    return _in_chunks(
        batch_id,
        PUBLISH_CHUNK,
        lambda ids: Subject.objects.filter(pk__in=ids).update(pending_batch_id=None),
    )


def subject_batch_discard(*, batch_id: int, source: str) -> int:
    """Remove what a failed batch left of subjects: the subjects it created
    and the conflicts it queued (`source`, as the batch's resolution named
    it), a chunk per transaction. Run after its records were discarded and
    the subjects other records name were kept (`records.staging`).
    Idempotent; returns how many subjects were removed."""
    SubjectConflict.objects.filter(source=source).delete()
    return _in_chunks(batch_id, DISCARD_CHUNK, _delete)


def _delete(ids: list[int]) -> int:
    """Subjects removed with their codes, aliases, conflicts and sightings."""
    Subject.objects.filter(pk__in=ids).delete()
    return len(ids)


def _in_chunks(batch_id: int, size: int, act: Callable[[list[int]], int]) -> int:
    """`act(ids)` on the batch's pending subjects, `size` of them per
    transaction, until none is left; the sum of what it returned."""
    pending = Subject.objects.filter(pending_batch_id=batch_id).order_by()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(pending.values_list("pk", flat=True)[:size])
            if not ids:
                return total
            total += act(ids)


def pending_subject_batches() -> list[int]:
    """The batches that have pending subjects (`subject_pending_idx`)."""
    batches = (
        Subject.objects.filter(pending_batch_id__isnull=False)
        .order_by()
        .values_list("pending_batch_id", flat=True)
        .distinct()
    )
    return [batch_id for batch_id in batches if batch_id is not None]
