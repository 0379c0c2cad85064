"""Reading what a chunk's codes and names already match: a few SELECTs,
each with a whole list of values as one parameter (`bulk.any_of`)."""

from collections.abc import Sequence

from xinyong.core.db import bulk
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectSighting
from xinyong.subjects.resolution.chunk import SIGHTING_REFRESH, Chunk, Target

# Plain lower-case identifiers: the same quoted form on every backend, and
# no database connection is touched at import time.
_SUBJECT_TABLE = f'"{Subject._meta.db_table}"'
_IDENTIFIER_TABLE = f'"{SubjectIdentifier._meta.db_table}"'
_SIGHTING_TABLE = f'"{SubjectSighting._meta.db_table}"'


# A subject as `_select_subjects` reads it: id, kind, name, name_key, uscc, id_digest,
# id_masked, whether the encrypted ID is missing, and the department's sighting: seen with a code? seen within the refresh window?
# (NULL when never seen; SQLite answers 0/1 for the two).
_SubjectRow = tuple[int, str, str, str, str | None, str | None, str, bool, bool | None, bool | None]


def _known(chunk: Chunk, record: _SubjectRow) -> Target:
    """The target of a subject read by `_select_subjects`, indexed once."""
    target = chunk.by_id.get(record[0])
    if target is None:
        subject_id, kind, name, key, uscc, digest, masked, unsealed, seen_with_code, fresh = record
        target = Target(
            id=subject_id,
            kind=kind,
            name=name,
            key=key,
            uscc=uscc,
            digest=digest,
            masked=masked,
            sealed_missing=bool(digest) and bool(unsealed),
            seen_with_code=seen_with_code,
            fresh=bool(fresh),
        )
        chunk.by_id[subject_id] = target
        if target.uscc:
            chunk.by_uscc[target.uscc] = target
        if target.digest:
            chunk.by_digest[(target.kind, target.digest)] = target
        if target.key:
            chunk.by_key.setdefault(target.key, []).append(target)
    return target


def _select_subjects(chunk: Chunk, where: str, params: Sequence[object]) -> list[_SubjectRow]:
    """Subjects matching `where`, each with the department's sighting of it
    (seen with a code? seen within the refresh window?) from a LEFT JOIN."""
    # Table names from _meta; `where` is a `bulk.any_of` clause, every value a parameter.
    return bulk.select(
        "SELECT s.id, s.kind, s.name, s.name_key, s.uscc, s.id_digest, s.id_masked, "  # noqa: S608 - table names from _meta; values bound
        "s.id_encrypted = '', g.with_code, g.last_seen_at >= %s "
        f"FROM {_SUBJECT_TABLE} s "
        f"LEFT JOIN {_SIGHTING_TABLE} g ON g.subject_id = s.id AND g.department_id = %s "
        f"WHERE {where}",
        [bulk.db_datetime(chunk.now - SIGHTING_REFRESH), chunk.department_id, *params],
    )


def load(chunk: Chunk) -> None:
    """Read the subjects the chunk's rows may resolve to into its indexes."""
    usccs: set[str] = set()
    digests: set[str] = set()
    legacy: set[tuple[str, str]] = set()
    for row in chunk.rows:
        if row is None:
            continue
        if row.uscc:
            usccs.add(row.uscc)
        if row.digest:
            digests.add(row.digest)
        if row.legacy:
            legacy.update(row.legacy)

    # 1. Subjects that have one of the chunk's USCCs or ID digests.
    clauses: list[str] = []
    params: list[object] = []
    for column, values in (("s.uscc", usccs), ("s.id_digest", digests)):
        if values:
            sql, p = bulk.any_of(column, values)
            clauses.append(sql)
            params.extend(p)
    if clauses:
        for record in _select_subjects(chunk, " OR ".join(clauses), params):
            _known(chunk, record)

    # 2. The chunk's legacy codes that are mapped already; then the subjects
    # they point to that step 1 did not read (usually those of rows
    # without a USCC).
    if legacy:
        kinds_sql, kinds_params = bulk.any_of("kind", {kind for kind, _v in legacy})
        values_sql, values_params = bulk.any_of("value", {value for _k, value in legacy})
        mapped = [
            (code_kind, value, subject_id)
            for code_kind, value, subject_id in bulk.select(
                # The table name from _meta; the clauses' values are parameters.
                f"SELECT kind, value, subject_id FROM {_IDENTIFIER_TABLE} "  # noqa: S608 - table names from _meta; values bound
                f"WHERE {kinds_sql} AND {values_sql}",
                [*kinds_params, *values_params],
            )
            if (code_kind, value) in legacy
        ]
        unread = {subject_id for _k, _v, subject_id in mapped if subject_id not in chunk.by_id}
        if unread:
            sql, params = bulk.any_of("s.id", unread)
            for record in _select_subjects(chunk, sql, params):
                _known(chunk, record)
        for code_kind, value, subject_id in mapped:
            target = chunk.by_id[subject_id]
            target.has_legacy = True
            chunk.by_legacy[(code_kind, value)] = target

    # 3. Subjects by name key, for name-only rows (matching) and for rows
    # whose USCC is new or names another name (code_mismatch). A row that
    # repeats a known subject's USCC and name needs no name look-up: a
    # same-named subject with another USCC was flagged when the second
    # code came in (in the queue of the department that sent it).
    keys: set[str] = set()
    name_only_keys: set[str] = set()
    for row in chunk.rows:
        if row is None or not row.key:
            continue
        if row.uscc:
            known = chunk.by_uscc.get(row.uscc)
            if known is None or known.key != row.key:
                keys.add(row.key)
        elif not (row.legacy or row.digest):
            name_only_keys.add(row.key)
    keys |= name_only_keys
    if keys:
        sql, params = bulk.any_of("s.name_key", keys)
        for record in _select_subjects(chunk, sql, params):
            _known(chunk, record)

    # 4. Name-only rows fall back on "the subject without any code": for
    # the plain-looking subjects of those names, ask whether they hold
    # legacy codes.
    plain = [
        t.id
        for key in name_only_keys
        for t in chunk.by_key.get(key, ())
        if not (t.uscc or t.digest or t.has_legacy)
    ]
    if plain:
        sql, p = bulk.any_of("subject_id", plain)
        for (subject_id,) in bulk.select(
            # The table name from _meta; the ids are one parameter.
            f"SELECT DISTINCT subject_id FROM {_IDENTIFIER_TABLE} WHERE {sql}",  # noqa: S608 - table names from _meta; values bound
            p,
        ):
            chunk.by_id[subject_id].has_legacy = True
