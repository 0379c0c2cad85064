"""Writing what a chunk decided: new subjects, changed ones, new legacy
codes, conflicts and sightings, each in one multi-row statement
(`bulk.insert`)."""

import datetime as dt
from typing import NamedTuple

from xinyong.core.columns import max_length
from xinyong.core.db import bulk
from xinyong.subjects.models import (
    Subject,
    SubjectAlias,
    SubjectConflict,
    SubjectIdentifier,
    SubjectSighting,
)
from xinyong.subjects.naming import variant_form
from xinyong.subjects.resolution.chunk import SIGHTING_REFRESH, Chunk, Target

_SIGHTING_TABLE = f'"{SubjectSighting._meta.db_table}"'
_SUBJECT_TABLE = f'"{Subject._meta.db_table}"'
_ALIAS_TABLE = f'"{SubjectAlias._meta.db_table}"'
_SUBJECT_COLUMNS = [
    "kind",
    "name",
    "name_key",
    "uscc",
    "id_digest",
    "id_masked",
    "id_encrypted",
    "created_at",
    "updated_at",
]
_NAME_MISMATCH = SubjectConflict.Kind.NAME_MISMATCH.value
_OPEN = SubjectConflict.Status.OPEN.value
_SEEN_NAME_MAX = max_length(SubjectConflict, "seen_name")
_SEEN_CODE_MAX = max_length(SubjectConflict, "seen_code")
_SEEN_KEY_MAX = max_length(SubjectConflict, "seen_key")

# A time as the backend stores it (`bulk.db_datetime`: SQLite naive UTC text, PostgreSQL
# the aware datetime).
_DbTime = str | dt.datetime


class ConflictRow(NamedTuple):
    """One `SubjectConflict` to insert; the field names are the model's."""

    kind: str
    status: str
    subject: int
    other_subject: int | None
    department: int
    seen_name: str
    seen_code: str
    seen_key: str
    source: str
    created_at: _DbTime
    resolution_note: str


def _subject_values(
    target: Target, now: _DbTime
) -> tuple[str, str, str, str | None, str | None, str, str, _DbTime, _DbTime]:
    """The values of `_SUBJECT_COLUMNS` for the target."""
    t = target
    return (t.kind, t.name, t.key, t.uscc, t.digest, t.masked, t.sealed, now, now)


def write(chunk: Chunk) -> None:
    now: _DbTime = bulk.db_datetime(chunk.now)
    if chunk.new:
        ids = bulk.insert(
            Subject,
            [*_SUBJECT_COLUMNS, "pending_batch_id"],
            [(*_subject_values(t, now), chunk.pending_batch_id) for t in chunk.new],
            returning=True,
        )
        for target, pk in zip(chunk.new, ids, strict=True):
            target.id = pk
    changed = [t for t in chunk.by_id.values() if t.changed]
    if changed:
        # Rare: a USCC adopted, a missing name or ID digest filled in. One
        # statement for all: an upsert on the primary key that only ever
        # updates (the rows were read in this transaction; subjects are
        # never deleted by the platform's services).
        bulk.insert(
            Subject,
            ["id", *_SUBJECT_COLUMNS],
            [(t.id, *_subject_values(t, now)) for t in changed],
            suffix=(
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "name_key = excluded.name_key, uscc = excluded.uscc, "
                "id_digest = excluded.id_digest, id_masked = excluded.id_masked, "
                # "" when this chunk brought no new encrypted ID: keep the stored one.
                "id_encrypted = COALESCE(NULLIF(excluded.id_encrypted, ''), "
                f"{_SUBJECT_TABLE}.id_encrypted), "
                "updated_at = excluded.updated_at"
            ),
        )
    if chunk.new_codes:
        # No ON CONFLICT: a code mapped meanwhile by another import raises
        # IntegrityError and the caller resolves the chunk again.
        bulk.insert(
            SubjectIdentifier,
            ["subject", "kind", "value"],
            [(t.id, kind, value) for kind, value, t in chunk.new_codes],
        )
    _check_names(chunk)
    if chunk.conflicts:
        _write_conflicts(chunk, now)
    _write_sightings(chunk, now)


def _check_names(chunk: Chunk) -> None:
    """A name that differs from its subject's is a doubt unless it is one
    of the subject's aliases (read here, for those subjects only)."""
    if not chunk.name_checks:
        return
    # Every target has its id now (the new subjects were written first).
    existing = {t.written_id for t, _row, _code in chunk.name_checks}
    aliases: dict[int, set[str]] = {}
    if existing:
        sql, params = bulk.any_of("subject_id", existing)
        for subject_id, key in bulk.select(
            # The table name from _meta; the ids are one parameter.
            f"SELECT subject_id, name_key FROM {_ALIAS_TABLE} WHERE {sql}",  # noqa: S608 - table names from _meta; values bound
            params,
        ):
            aliases.setdefault(subject_id, set()).add(variant_form(key))
    for target, row, seen_code in chunk.name_checks:
        if row.variant not in aliases.get(target.written_id, ()):
            chunk.add_conflict(_NAME_MISMATCH, target, f"name:{row.key}", None, row, seen_code)


def _write_conflicts(chunk: Chunk, now: _DbTime) -> None:
    rows: dict[tuple[str, int, str], ConflictRow] = {}
    for (kind, target, seen), doubt in chunk.conflicts.items():
        subject_id = target.written_id
        other_id = doubt.other.written_id if doubt.other is not None else None
        if isinstance(seen, Target):
            # A code_mismatch, queued by the other subject: one doubt per pair of
            # subjects, whichever of the two the row named.
            subject_id, other_id = sorted((subject_id, seen.written_id))
            seen_key = f"subject:{other_id}"
        else:
            seen_key = seen
        rows.setdefault(
            (kind, subject_id, seen_key),
            ConflictRow(
                kind=kind,
                status=_OPEN,
                subject=subject_id,
                other_subject=other_id,
                department=chunk.department_id,
                seen_name=doubt.seen_name[:_SEEN_NAME_MAX],
                seen_code=doubt.seen_code[:_SEEN_CODE_MAX],
                seen_key=seen_key[:_SEEN_KEY_MAX],
                source=chunk.source,
                created_at=now,
                resolution_note="",
            ),
        )
    # DO NOTHING against `subject_conflict_once`: the doubt is already queued.
    bulk.insert(
        SubjectConflict, ConflictRow._fields, list(rows.values()), suffix="ON CONFLICT DO NOTHING"
    )


def _write_sightings(chunk: Chunk, now: _DbTime) -> None:
    seen = [
        t
        for t in chunk.by_id.values()
        if t.with_code is not None and not (t.fresh and (t.seen_with_code or not t.with_code))
    ]
    seen += [t for t in chunk.new if t.with_code is not None]
    if not seen:
        return
    # Upsert: a new (department, subject) pair is inserted; a known one gets
    # its last_seen_at moved, at most once per refresh window, so that a
    # re-import writes little (the read already skipped the fresh ones).
    bulk.insert(
        SubjectSighting,
        ["department", "subject", "with_code", "first_seen_at", "last_seen_at"],
        [(chunk.department_id, t.id, t.with_code, now, now) for t in seen],
        suffix=(
            "ON CONFLICT (department_id, subject_id) DO UPDATE SET "
            "last_seen_at = excluded.last_seen_at, "
            f"with_code = ({_SIGHTING_TABLE}.with_code OR excluded.with_code) "
            f"WHERE {_SIGHTING_TABLE}.last_seen_at < %s "
            f"OR (NOT {_SIGHTING_TABLE}.with_code AND excluded.with_code)"
        ),
        suffix_params=[bulk.db_datetime(chunk.now - SIGHTING_REFRESH)],
    )
