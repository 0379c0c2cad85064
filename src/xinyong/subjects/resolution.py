"""Resolution of one chunk of candidates to subject ids: the hot path of intake.

One call reads what the chunk's codes and names already match (one or two
SELECTs with the whole list as one parameter), decides every row in Python
with dictionaries, then writes what is new in a few multi-row INSERTs. The
number of statements does not grow with the chunk (see `services` for the
list) and nothing is held beyond the chunk.

The rules, in order, for one candidate:

1. With a USCC: the subject that has it. If none does, a subject without a
   USCC that one of the row's legacy codes (or, failing that, its ID
   digest of the same kind) already points to takes the USCC — the plan's
   存量代码转换; otherwise a new subject.
2. Without a USCC, with legacy codes: the subject the first known code
   points to (工商注册号, 组织机构代码, 税务登记号, 事业单位证书号, 社会组织登记证号
   in that order), else by ID digest, else a new subject.
3. With only an ID number (persons, individual businesses): the subject of
   that kind with the same digest, else a new one.
4. With only a name: the one subject of that kind with that name key; if
   several share it, the one that has no code at all (created by an earlier
   name-only row); else a new subject.
5. A row without name and code resolves to None.

Then, for the subject chosen:

- every legacy code of the row not yet known is mapped to it; a code
  already mapped to another subject is a `legacy_mismatch` conflict;
- an ID digest is recorded if the subject has none and no other subject of
  its kind holds it;
- a subject without a name takes the row's name; a row whose name key
  differs from the subject's (not a 有限责任公司/有限公司 variant, not one of
  its aliases) is a `name_mismatch` conflict;
- a row with a USCC whose name key is also the name key of another subject
  with a different USCC is a `code_mismatch` conflict, one per pair of
  subjects (`subject` is the older, `other_subject` the newer).

Conflicts are per department and written with ON CONFLICT DO NOTHING
against the `subject_conflict_once` constraint, so a re-import adds none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from xinyong.core import clock
from xinyong.core.masking import mask_id_number
from xinyong.subjects import bulksql
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import (
    Subject,
    SubjectAlias,
    SubjectConflict,
    SubjectIdentifier,
    SubjectSighting,
)
from xinyong.subjects.naming import name_key, variant_form

LEGACY_KINDS: tuple[str, ...] = tuple(SubjectIdentifier.Kind.values)
_NAME_MAX = Subject._meta.get_field("name").max_length
_SOURCE_MAX = SubjectConflict._meta.get_field("source").max_length
_NAME_MISMATCH = SubjectConflict.Kind.NAME_MISMATCH.value
_CODE_MISMATCH = SubjectConflict.Kind.CODE_MISMATCH.value
_LEGACY_MISMATCH = SubjectConflict.Kind.LEGACY_MISMATCH.value
_OPEN = SubjectConflict.Status.OPEN.value
_KINDS = frozenset(Subject.Kind.values)
_USCC_MAX = Subject._meta.get_field("uscc").max_length
_CODE_MAX = SubjectIdentifier._meta.get_field("value").max_length
_MASKED_MAX = Subject._meta.get_field("id_masked").max_length
_SIGHTING_REFRESH = dt.timedelta(hours=1)


@dataclass(slots=True)
class SubjectCandidate:
    """A subject as one submitted row describes it.

    Codes are already normalised and checked by the caller; "" means absent
    (a code longer than its column cannot be valid and is ignored).
    `id_number` is a resident ID (or another personal document number) of a
    person or of an individual business's operator: it is only hashed and
    masked, never stored."""

    kind: str
    name: str
    uscc: str = ""
    registration_number: str = ""
    organization_code: str = ""
    tax_number: str = ""
    institution_cert: str = ""
    social_org_cert: str = ""
    id_number: str = ""


class Row:
    """A candidate prepared once: name key, digest, legacy codes as tuples."""

    __slots__ = ("digest", "key", "kind", "legacy", "masked", "name", "uscc", "variant")

    def __init__(self, kind, name, key, uscc, legacy, digest, masked):
        self.kind = kind
        self.name = name
        self.key = key
        self.variant = variant_form(key)
        self.uscc = uscc
        self.legacy = legacy
        self.digest = digest
        self.masked = masked

    def __reduce__(self):
        # Rows are prepared in intake's reading process and sent to the writing
        # one: a plain tuple pickles several times cheaper than slot state.
        return (
            _restore_row,
            (
                self.kind,
                self.name,
                self.key,
                self.variant,
                self.uscc,
                self.legacy,
                self.digest,
                self.masked,
            ),
        )


def _restore_row(kind, name, key, variant, uscc, legacy, digest, masked) -> Row:
    row = Row.__new__(Row)
    row.kind, row.name, row.key, row.variant = kind, name, key, variant
    row.uscc, row.legacy, row.digest, row.masked = uscc, legacy, digest, masked
    return row


def prepare(candidates: Sequence[SubjectCandidate]) -> list[Row | None]:
    """Compute keys and digests, once per distinct value in the chunk."""
    keys: dict[str, str] = {}
    digests: dict[str, tuple[str, str]] = {}
    rows: list[Row | None] = []
    for c in candidates:
        if c.kind not in _KINDS:
            raise ValueError(f"unknown subject kind {c.kind!r}")
        name = c.name.strip() if c.name else ""
        key = keys.get(name)
        if key is None:
            key = keys[name] = name_key(name)
        if not key:
            name = ""
        elif len(name) > _NAME_MAX:
            name = name[:_NAME_MAX]
        legacy: tuple[tuple[str, str], ...] = ()
        # Most rows carry no legacy code: one test instead of five look-ups.
        if (
            c.registration_number
            or c.organization_code
            or c.tax_number
            or c.institution_cert
            or c.social_org_cert
        ):
            # A value longer than the column is no code of any of the five
            # kinds (the caller checks them); the record keeps it as sent.
            legacy = tuple(
                (kind, value)
                for kind in LEGACY_KINDS
                if (value := getattr(c, kind)) and len(value) <= _CODE_MAX
            )
        digest = masked = ""
        if c.id_number:
            found = digests.get(c.id_number)
            if found is None:
                masked = mask_id_number(c.id_number)
                if len(masked) > _MASKED_MAX:  # a long foreign document number
                    masked = masked[:4] + "*" * (_MASKED_MAX - 8) + masked[-4:]
                found = digests[c.id_number] = (id_digest(c.id_number), masked)
            digest, masked = found
        uscc = c.uscc if c.uscc and len(c.uscc) <= _USCC_MAX else ""
        if not (key or uscc or legacy or digest):
            rows.append(None)
            continue
        rows.append(Row(c.kind, name, key, uscc, legacy, digest, masked))
    return rows


class _Target:
    """A subject of the chunk: read from the database or about to be created."""

    __slots__ = (
        "changed",
        "digest",
        "fresh",
        "has_legacy",
        "id",
        "key",
        "kind",
        "masked",
        "name",
        "seen_with_code",
        "uscc",
        "variant",
        "with_code",
    )

    def __init__(self, id, kind, name, key, uscc, digest, masked, seen_with_code=None, fresh=False):
        self.id = id
        self.kind = kind
        self.name = name
        self.key = key
        self.variant = variant_form(key)
        self.uscc = uscc
        self.digest = digest
        self.masked = masked
        self.has_legacy = False
        self.changed = False
        self.with_code: bool | None = None  # None: not submitted in this chunk
        # The department's sighting as read: None if never seen; `fresh` if
        # last seen within the refresh window (then no upsert is needed).
        self.seen_with_code = seen_with_code
        self.fresh = bool(fresh)


# Plain lower-case identifiers: the same quoted form on every backend, and
# no database connection is touched at import time.
_SUBJECT_TABLE = f'"{Subject._meta.db_table}"'
_IDENTIFIER_TABLE = f'"{SubjectIdentifier._meta.db_table}"'
_SIGHTING_TABLE = f'"{SubjectSighting._meta.db_table}"'
_ALIAS_TABLE = f'"{SubjectAlias._meta.db_table}"'
_SUBJECT_COLUMNS = [
    "kind",
    "name",
    "name_key",
    "uscc",
    "id_digest",
    "id_masked",
    "created_at",
    "updated_at",
]


class _Chunk:
    def __init__(self, department_id: int, rows: list[Row | None], source: str):
        self.department_id = department_id
        self.rows = rows
        self.source = source[:_SOURCE_MAX]
        self.now = clock.now()
        self.by_id: dict[int, _Target] = {}
        self.by_uscc: dict[str, _Target] = {}
        self.by_digest: dict[tuple[str, str], _Target] = {}
        self.by_legacy: dict[tuple[str, str], _Target] = {}
        self.by_key: dict[str, list[_Target]] = {}
        self.new: list[_Target] = []
        self.new_codes: list[tuple[str, str, _Target]] = []
        self.name_checks: list[tuple[_Target, Row, str]] = []
        # (kind, subject, seen_key or other target) → (other, seen_name, seen_code)
        self.conflicts: dict[tuple, tuple[_Target | None, str, str]] = {}

    # -- reading -----------------------------------------------------------

    def _known(self, record) -> _Target:
        target = self.by_id.get(record[0])
        if target is None:
            target = _Target(*record)
            self.by_id[target.id] = target
            if target.uscc:
                self.by_uscc[target.uscc] = target
            if target.digest:
                self.by_digest[(target.kind, target.digest)] = target
            if target.key:
                self.by_key.setdefault(target.key, []).append(target)
        return target

    def _select_subjects(self, where: str, params: list):
        """Subjects matching `where`, each with the department's sighting of it
        (seen with a code? seen within the refresh window?) from a LEFT JOIN."""
        return bulksql.select(
            "SELECT s.id, s.kind, s.name, s.name_key, s.uscc, s.id_digest, s.id_masked, "
            "g.with_code, g.last_seen_at >= %s "
            f"FROM {_SUBJECT_TABLE} s "
            f"LEFT JOIN {_SIGHTING_TABLE} g ON g.subject_id = s.id AND g.department_id = %s "
            f"WHERE {where}",
            [bulksql.db_datetime(self.now - _SIGHTING_REFRESH), self.department_id, *params],
        )

    def load(self) -> None:
        usccs, digests, legacy = set(), set(), set()
        for row in self.rows:
            if row is None:
                continue
            if row.uscc:
                usccs.add(row.uscc)
            if row.digest:
                digests.add(row.digest)
            if row.legacy:
                legacy.update(row.legacy)

        # 1. Subjects that have one of the chunk's USCCs or ID digests.
        clauses, params = [], []
        for column, values in (("s.uscc", usccs), ("s.id_digest", digests)):
            if values:
                sql, p = bulksql.any_of(column, values)
                clauses.append(sql)
                params.extend(p)
        if clauses:
            for record in self._select_subjects(" OR ".join(clauses), params):
                self._known(record)

        # 2. The chunk's legacy codes that are mapped already; then the subjects
        # they point to that step 1 did not read (usually those of rows
        # without a USCC).
        if legacy:
            kinds_sql, kinds_params = bulksql.any_of("kind", {kind for kind, _v in legacy})
            values_sql, values_params = bulksql.any_of("value", {value for _k, value in legacy})
            mapped = [
                (code_kind, value, subject_id)
                for code_kind, value, subject_id in bulksql.select(
                    f"SELECT kind, value, subject_id FROM {_IDENTIFIER_TABLE} "
                    f"WHERE {kinds_sql} AND {values_sql}",
                    [*kinds_params, *values_params],
                )
                if (code_kind, value) in legacy
            ]
            unread = {subject_id for _k, _v, subject_id in mapped if subject_id not in self.by_id}
            if unread:
                sql, params = bulksql.any_of("s.id", unread)
                for record in self._select_subjects(sql, params):
                    self._known(record)
            for code_kind, value, subject_id in mapped:
                target = self.by_id[subject_id]
                target.has_legacy = True
                self.by_legacy[(code_kind, value)] = target

        # 3. Subjects by name key, for name-only rows (matching) and for rows
        # whose USCC is new or names another name (code_mismatch). A row that
        # repeats a known subject's USCC and name needs no name look-up: a
        # same-named subject with another USCC was flagged when the second
        # code came in (in the queue of the department that sent it).
        keys, name_only_keys = set(), set()
        for row in self.rows:
            if row is None or not row.key:
                continue
            if row.uscc:
                known = self.by_uscc.get(row.uscc)
                if known is None or known.key != row.key:
                    keys.add(row.key)
            elif not (row.legacy or row.digest):
                name_only_keys.add(row.key)
        keys |= name_only_keys
        if keys:
            sql, params = bulksql.any_of("s.name_key", keys)
            for record in self._select_subjects(sql, params):
                self._known(record)

        # 4. Name-only rows fall back on "the subject without any code": for
        # the plain-looking subjects of those names, ask whether they hold
        # legacy codes.
        plain = [
            t.id
            for key in name_only_keys
            for t in self.by_key.get(key, ())
            if not (t.uscc or t.digest or t.has_legacy)
        ]
        if plain:
            sql, p = bulksql.any_of("subject_id", plain)
            for (subject_id,) in bulksql.select(
                f"SELECT DISTINCT subject_id FROM {_IDENTIFIER_TABLE} WHERE {sql}", p
            ):
                self.by_id[subject_id].has_legacy = True

    # -- deciding ----------------------------------------------------------

    def _create(self, row: Row) -> _Target:
        target = _Target(None, row.kind, row.name, row.key, row.uscc or None, None, "")
        self.new.append(target)
        if row.key:
            self.by_key.setdefault(row.key, []).append(target)
        return target

    def _by_name(self, kind: str, key: str) -> _Target | None:
        same = [t for t in self.by_key.get(key, ()) if t.kind == kind]
        if len(same) == 1:
            return same[0]
        plain = [t for t in same if not (t.uscc or t.digest or t.has_legacy)]
        # The oldest subject known by this name only (one made in this chunk last).
        return min(plain, key=lambda t: (t.id is None, t.id or 0)) if plain else None

    def _conflict(self, kind, target, seen_key, other, row: Row, seen_code: str) -> None:
        self.conflicts.setdefault((kind, target, seen_key), (other, row.name, seen_code))

    def _set_name(self, target: _Target, row: Row) -> None:
        target.name, target.key, target.variant = row.name, row.key, row.variant
        self.by_key.setdefault(row.key, []).append(target)
        target.changed = target.id is not None

    def decide(self, row: Row) -> _Target:
        target: _Target | None = None
        created = False
        seen_code = ""
        if row.uscc:
            seen_code = row.uscc
            target = self.by_uscc.get(row.uscc)
            if target is None:
                # 存量代码转换: the subject known by a legacy code (or the ID) takes the USCC.
                for code in row.legacy:
                    known = self.by_legacy.get(code)
                    if known is not None and known.uscc is None:
                        target = known
                        break
                if target is None and row.digest:
                    known = self.by_digest.get((row.kind, row.digest))
                    if known is not None and known.uscc is None:
                        target = known
                if target is None:
                    target, created = self._create(row), True
                else:
                    target.uscc = row.uscc
                    target.changed = target.id is not None
                self.by_uscc[row.uscc] = target
        elif row.legacy:
            for code in row.legacy:
                target = self.by_legacy.get(code)
                if target is not None:
                    seen_code = code[1]
                    break
            if target is None and row.digest:
                target = self.by_digest.get((row.kind, row.digest))
                seen_code = row.masked
            if target is None:
                target, created = self._create(row), True
                seen_code = row.legacy[0][1]
        elif row.digest:
            seen_code = row.masked
            target = self.by_digest.get((row.kind, row.digest))
            if target is None:
                target, created = self._create(row), True
        else:
            target = self._by_name(row.kind, row.key)
            if target is None:
                target, created = self._create(row), True

        for code in row.legacy:
            known = self.by_legacy.get(code)
            if known is None:
                self.by_legacy[code] = target
                self.new_codes.append((code[0], code[1], target))
                target.has_legacy = True
            elif known is not target:
                self._conflict(
                    _LEGACY_MISMATCH, target, f"{code[0]}:{code[1]}", known, row, code[1]
                )

        if row.digest and target.digest is None and (target.kind, row.digest) not in self.by_digest:
            target.digest, target.masked = row.digest, row.masked
            self.by_digest[(target.kind, row.digest)] = target
            target.changed = target.id is not None

        if row.key and not created:
            if not target.key:
                self._set_name(target, row)
            elif target.variant != row.variant:
                self.name_checks.append((target, row, seen_code))

        if row.uscc and row.key:
            for other in self.by_key.get(row.key, ()):
                if other is not target and other.uscc and other.uscc != row.uscc:
                    self._conflict(_CODE_MISMATCH, target, other, other, row, row.uscc)

        with_code = bool(row.uscc or row.legacy)
        target.with_code = with_code or bool(target.with_code)
        return target

    # -- writing -----------------------------------------------------------

    def write(self) -> None:
        now = bulksql.db_datetime(self.now)
        if self.new:
            ids = bulksql.insert(
                Subject,
                _SUBJECT_COLUMNS,
                [(t.kind, t.name, t.key, t.uscc, t.digest, t.masked, now, now) for t in self.new],
                returning=True,
            )
            for target, pk in zip(self.new, ids, strict=True):
                target.id = pk
        changed = [t for t in self.by_id.values() if t.changed]
        if changed:
            # Rare: a USCC adopted, a missing name or ID digest filled in. One
            # statement for all: an upsert on the primary key that only ever
            # updates (the rows were read in this transaction; subjects are
            # never deleted by the platform's services).
            bulksql.insert(
                Subject,
                ["id", *_SUBJECT_COLUMNS],
                [
                    (t.id, t.kind, t.name, t.key, t.uscc, t.digest, t.masked, now, now)
                    for t in changed
                ],
                suffix=(
                    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    "name_key = excluded.name_key, uscc = excluded.uscc, "
                    "id_digest = excluded.id_digest, id_masked = excluded.id_masked, "
                    "updated_at = excluded.updated_at"
                ),
            )
        if self.new_codes:
            # No ON CONFLICT: a code mapped meanwhile by another import raises
            # IntegrityError and the caller resolves the chunk again.
            bulksql.insert(
                SubjectIdentifier,
                ["subject", "kind", "value"],
                [(t.id, kind, value) for kind, value, t in self.new_codes],
            )
        self._write_name_conflicts()
        if self.conflicts:
            self._write_conflicts(now)
        self._write_sightings(now)

    def _write_name_conflicts(self) -> None:
        if not self.name_checks:
            return
        existing = {t.id for t, _row, _code in self.name_checks if t.id is not None}
        aliases: dict[int, set[str]] = {}
        if existing:
            sql, params = bulksql.any_of("subject_id", existing)
            for subject_id, key in bulksql.select(
                f"SELECT subject_id, name_key FROM {_ALIAS_TABLE} WHERE {sql}", params
            ):
                aliases.setdefault(subject_id, set()).add(variant_form(key))
        for target, row, seen_code in self.name_checks:
            if row.variant not in aliases.get(target.id, ()):
                self._conflict(_NAME_MISMATCH, target, f"name:{row.key}", None, row, seen_code)

    def _write_conflicts(self, now) -> None:
        rows = {}
        for (kind, target, seen_key), (other, seen_name, seen_code) in self.conflicts.items():
            subject_id = target.id
            other_id = other.id if other is not None else None
            if kind == _CODE_MISMATCH:
                # One doubt per pair of subjects, whichever of the two the row named.
                subject_id, other_id = sorted((subject_id, other_id))
                seen_key = f"subject:{other_id}"
            rows.setdefault(
                (kind, subject_id, seen_key),
                (
                    kind,
                    _OPEN,
                    subject_id,
                    other_id,
                    self.department_id,
                    seen_name,
                    seen_code[:30],
                    seen_key[:230],
                    self.source,
                    now,
                    "",
                ),
            )
        # DO NOTHING against `subject_conflict_once`: the doubt is already queued.
        bulksql.insert(
            SubjectConflict,
            [
                "kind",
                "status",
                "subject",
                "other_subject",
                "department",
                "seen_name",
                "seen_code",
                "seen_key",
                "source",
                "created_at",
                "resolution_note",
            ],
            list(rows.values()),
            suffix="ON CONFLICT DO NOTHING",
        )

    def _write_sightings(self, now) -> None:
        seen = [
            t
            for t in self.by_id.values()
            if t.with_code is not None and not (t.fresh and (t.seen_with_code or not t.with_code))
        ]
        seen += [t for t in self.new if t.with_code is not None]
        if not seen:
            return
        # Upsert: a new (department, subject) pair is inserted; a known one gets
        # its last_seen_at moved, at most once per refresh window, so that a
        # re-import writes little (the read already skipped the fresh ones).
        bulksql.insert(
            SubjectSighting,
            ["department", "subject", "with_code", "first_seen_at", "last_seen_at"],
            [(self.department_id, t.id, t.with_code, now, now) for t in seen],
            suffix=(
                "ON CONFLICT (department_id, subject_id) DO UPDATE SET "
                "last_seen_at = excluded.last_seen_at, "
                f"with_code = ({_SIGHTING_TABLE}.with_code OR excluded.with_code) "
                f"WHERE {_SIGHTING_TABLE}.last_seen_at < %s "
                f"OR (NOT {_SIGHTING_TABLE}.with_code AND excluded.with_code)"
            ),
            suffix_params=[bulksql.db_datetime(self.now - _SIGHTING_REFRESH)],
        )


def resolve_chunk(department_id: int, rows: list[Row | None], source: str) -> list[int | None]:
    chunk = _Chunk(department_id, rows, source)
    chunk.load()
    targets = [None if row is None else chunk.decide(row) for row in rows]
    chunk.write()
    return [None if t is None else t.id for t in targets]
