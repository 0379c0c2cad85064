"""An import's records while it runs: staged, invisible, then live at once.

An import writes its records chunk by chunk, each chunk its own short
transaction (so that on SQLite other writers get the write lock between
chunks), with `status = 'staged'` (`record_write_chunk`). No public
condition, index or staff page reads a staged record. A correction of a
live record is staged beside it (the partial unique indexes
`record_key_unique` and `record_staged_key_unique` allow one live and one
staged row per key).

When the batch has read its last row, `record_batch_activate` turns its
new records active a chunk per transaction, with `updated_at` = now (the
change feed's position), behind a gate: a `PublishingBatch` row that keeps
the batch's records out of every view (`NOT_PUBLISHING`) and holds the
change feed before it. Then `record_batch_publish`, in the transaction that
marks the batch done, merges the corrections into the records they correct
(the previous content kept as a revision), computes their windows and
removes the gate: the batch is seen all at once. If the batch fails or its
process dies, `record_batch_discard` removes what it wrote, in short
transactions.
"""

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef

from xinyong.core import clock
from xinyong.core.db import bulk, dialect
from xinyong.records import disclosure
from xinyong.records.models import PublishingBatch, Record, RecordRevision
from xinyong.records.services import record_disclosure_fill
from xinyong.subjects.models import Subject
from xinyong.subjects.staging import subject_batch_discard

# (staged id, live id, live revision, staged revision, same content), as read.
Correction = tuple[Any, ...]
_STAGED = Record.Status.STAGED.value
_ACTIVE = Record.Status.ACTIVE.value
# Rows removed per transaction when a batch is discarded, and turned active
# per transaction at its end.
DISCARD_CHUNK = 2_000
ACTIVATE_CHUNK = 2_000
# The content a correction brings, copied from the staged row into the record.
_CONTENT = (
    "version_id",
    "subject_id",
    "doc_number",
    "decision_date",
    "valid_from",
    "valid_to",
    "data",
    "content_hash",
    "submitted_on",
    "submit_due",
    "is_late",
    "source_batch_id",
    "source_row",
    # The consistency warnings of the new content (none clears the old ones).
    "warnings",
)


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(Record._meta.db_table), quote(RecordRevision._meta.db_table)


def record_batch_corrections(*, batch_id: int) -> list[Correction]:
    """The batch's staged rows that correct a live record: (staged id, live
    id, live revision, staged revision, same content). Read before the
    transaction that makes the batch live, so that this scan of the whole
    batch holds no lock (`record_batch_publish` checks it is still true).

    SQL intent: the batch's staged rows by `record_batch_idx`, each probing
    `record_key_unique` for the live record of its key."""
    table, _revisions = _tables()
    # S608 is silenced below: table names come from _meta, every value is a parameter.
    return bulk.select(
        f"SELECT s.id, l.id, l.revision, s.revision, s.content_hash = l.content_hash "  # noqa: S608 - table names from _meta; values bound
        f"FROM {table} s JOIN {table} l ON l.department_id = s.department_id "
        f"AND l.item_id = s.item_id AND l.record_key = s.record_key AND NOT (l.status = 'staged') "
        f"WHERE s.source_batch_id = %s AND s.status = 'staged'",
        [batch_id],
    )


def record_batch_activate(
    *, batch_id: int, corrections: list[Correction], pause: float = 0.0
) -> list[Correction]:
    """Turn the batch's new records (staged, correcting nothing) active,
    a chunk per transaction, behind the batch's gate; pause `pause` seconds
    between chunks (`Dialect.yield_writes`). A key another writer made live
    meanwhile fails a chunk's UPDATE (IntegrityError): the corrections are
    read again and the chunk retried. Returns the corrections, which stay
    staged for `record_batch_publish`."""
    table, _revisions = _tables()
    PublishingBatch.objects.get_or_create(batch_id=batch_id, defaults={"since": clock.now()})
    last = 0
    while True:
        skip = {staged for staged, *_rest in corrections}
        # S608 is silenced below: table names come from _meta, every value is a parameter.
        ids = [
            pk
            for (pk,) in bulk.select(
                f"SELECT id FROM {table} WHERE source_batch_id = %s AND id > %s "  # noqa: S608 - table names from _meta; values bound
                f"AND status = 'staged' ORDER BY id LIMIT %s",
                [batch_id, last, ACTIVATE_CHUNK],
            )
        ]
        if not ids:
            return corrections
        chosen = [pk for pk in ids if pk not in skip]
        now = connection.ops.adapt_datetimefield_value(clock.now())
        try:
            with transaction.atomic():
                if chosen:
                    marks = ", ".join(["%s"] * len(chosen))
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET status = %s, updated_at = %s "  # noqa: S608 - table names from _meta; values bound
                            f"WHERE id IN ({marks}) AND status = 'staged'",
                            [_ACTIVE, now, *chosen],
                        )
        except IntegrityError:
            corrections = record_batch_corrections(batch_id=batch_id)
            continue
        last = ids[-1]
        dialect().yield_writes(pause)


def record_batch_publish(
    *, batch_id: int, corrections: list[Correction] | None = None
) -> disclosure.StepCounts:
    """Make a finished batch's staged records live, all at once. Must run in
    the transaction that marks the batch done. `corrections`: what
    `record_batch_corrections` read before it (None: read them here). If
    another writer made a record of the batch's keys live or corrected one
    since, a unique constraint fails (IntegrityError) and the caller runs
    this again with `corrections=None`.

    Each correction is merged with a constant number of statements for all
    of them; then one UPDATE turns the rest active, and the windows of what
    was corrected are computed (`record_disclosure_fill`'s set-based steps).
    """
    table, revisions = _tables()
    now = connection.ops.adapt_datetimefield_value(clock.now())
    pairs = corrections if corrections is not None else record_batch_corrections(batch_id=batch_id)
    if pairs:
        _merge(table, revisions, now, pairs)
    if corrections is None:
        # Not activated in chunks before (or raced): whatever is still staged.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, updated_at = %s "  # noqa: S608 - table names from _meta; values bound
                f"WHERE source_batch_id = %s AND status = 'staged'",
                [_ACTIVE, now, batch_id],
            )
    counts = record_disclosure_fill(batch_id=batch_id)
    PublishingBatch.objects.filter(batch_id=batch_id).delete()
    return counts


def _merge(table: str, revisions: str, now: str | None, pairs: list[Correction]) -> None:
    """Staged corrections into the live records they correct, as the intake
    corrected a record before: its content until now becomes a revision, the
    batch's earlier contents of the key (revisions of the staged row) follow
    it, the record takes the new content and number, its window is recomputed
    (disclosure_rule = '', see `record_disclosure_fill`)."""
    same = [staged for staged, _live, _lr, revision, equal in pairs if equal and revision == 1]
    merged = [pair for pair in pairs if not (pair[4] and pair[3] == 1)]
    with connection.cursor() as cursor:
        if merged:
            live_ids = [live for _s, live, _lr, _sr, _e in merged]
            marks = ", ".join(["%s"] * len(live_ids))
            cursor.execute(
                f"INSERT INTO {revisions} (record_id, revision, version_id, data, content_hash, "  # noqa: S608 - table names from _meta; values bound
                f"subject_id, source_batch_id, source_row, valid_from_at, replaced_at) "
                f"SELECT id, revision, version_id, data, content_hash, subject_id, "
                f"source_batch_id, source_row, updated_at, %s FROM {table} WHERE id IN ({marks})",
                [now, *live_ids],
            )
            cursor.executemany(
                f"UPDATE {revisions} SET record_id = %s, revision = revision + %s "  # noqa: S608 - table names from _meta; values bound
                f"WHERE record_id = %s",
                [(live, live_revision, staged) for staged, live, live_revision, _r, _e in merged],
            )
            columns = ", ".join(_CONTENT)
            cursor.executemany(
                f"UPDATE {table} SET ({columns}) = (SELECT {columns} FROM {table} s "  # noqa: S608 - table names from _meta; values bound
                f"WHERE s.id = %s), revision = revision + %s, disclosure_rule = '', "
                f"updated_at = %s WHERE id = %s",
                [(staged, revision, now, live) for staged, live, _lr, revision, _e in merged],
            )
        gone = same + [staged for staged, *_rest in merged]
        for start in range(0, len(gone), DISCARD_CHUNK):
            part = gone[start : start + DISCARD_CHUNK]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", part)  # noqa: S608 - table names from _meta; values bound


def record_batch_discard(*, batch_id: int, source: str) -> int:
    """Remove what a failed batch staged: its records and their revisions,
    then its subjects (`subjects.staging.subject_batch_discard`), a chunk per
    transaction so that other writers get the lock in between. A subject of
    the batch that another import's record names meanwhile is kept (live if
    that import is done, else pending it). Idempotent; returns how many
    records were removed."""
    removed = _discard_records(batch_id)
    _keep_named_subjects(batch_id)
    subject_batch_discard(batch_id=batch_id, source=source)
    return removed


def _keep_named_subjects(batch_id: int) -> None:
    pending = Subject.objects.filter(pending_batch_id=batch_id)
    named = Record.objects.filter(subject_id=OuterRef("pk"))
    with transaction.atomic():
        pending.filter(
            Exists(named.exclude(status=_STAGED))
            | Exists(RecordRevision.objects.filter(subject_id=OuterRef("pk")))
        ).update(pending_batch_id=None)
        for pk, other in (
            pending.filter(Exists(named)).values_list("pk", "records__source_batch_id").distinct()
        ):
            Subject.objects.filter(pk=pk).update(pending_batch_id=other)


def _discard_records(batch_id: int) -> int:
    table, revisions = _tables()
    removed = 0
    while True:
        with transaction.atomic():
            ids = [
                pk
                for (pk,) in bulk.select(
                    # Staged, or turned active behind its gate: every row
                    # of a batch that is not done (a done batch's merges
                    # happen in its last transaction).
                    f"SELECT id FROM {table} WHERE source_batch_id = %s "  # noqa: S608 - table names from _meta; values bound
                    f"LIMIT %s",
                    [batch_id, DISCARD_CHUNK],
                )
            ]
            if not ids:
                PublishingBatch.objects.filter(batch_id=batch_id).delete()
                return removed
            marks = ", ".join(["%s"] * len(ids))
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {revisions} WHERE record_id IN ({marks})", ids)  # noqa: S608 - table names from _meta; values bound
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", ids)  # noqa: S608 - table names from _meta; values bound
            removed += len(ids)
