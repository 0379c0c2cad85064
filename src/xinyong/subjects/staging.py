"""The subjects of an import while it runs (see `records.staging`).

A subject an import creates carries the batch in `pending_batch_id` until the
batch is done: the portal's search, the subject pages, the staff pages and
the counts leave it out (`Subject.objects.live()`, `search.query`). The
search index holds it from the start (its triggers are unchanged), so making
it live is one UPDATE of a small partial index. If the batch fails, its
subjects go, with their codes, aliases, conflicts and sightings, unless
another import's record meanwhile names one (then it stays, pending that
import, or live if that import is done).
"""

from django.db import transaction

from xinyong.subjects.models import Subject, SubjectConflict

# Subjects removed per transaction when a batch is discarded.
DISCARD_CHUNK = 1_000


def subject_batch_publish(*, batch_id: int) -> int:
    """The subjects of a finished batch become live. Must run in the
    transaction that marks the batch done. Returns how many."""
    return Subject.objects.filter(pending_batch_id=batch_id).update(pending_batch_id=None)


def subject_batch_discard(*, batch_id: int, source: str) -> int:
    """Remove what a failed batch left of subjects: the subjects it created
    and the conflicts it queued (`source`, as the batch's resolution named
    it), a chunk per transaction. Run after its records were discarded and
    the subjects other records name were kept (`records.staging`).
    Idempotent; returns how many subjects were removed."""
    SubjectConflict.objects.filter(source=source).delete()
    pending = Subject.objects.filter(pending_batch_id=batch_id).order_by()
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(pending.values_list("pk", flat=True)[:DISCARD_CHUNK])
            if not ids:
                return removed
            Subject.objects.filter(pk__in=ids).delete()
            removed += len(ids)
