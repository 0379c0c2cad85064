"""Deciding, in Python, the subject of each row of a chunk (the rules are in
the package's docstring): no statement runs here."""

from xinyong.subjects.models import SubjectConflict
from xinyong.subjects.resolution.candidates import Row
from xinyong.subjects.resolution.chunk import Chunk, Target

_CODE_MISMATCH = SubjectConflict.Kind.CODE_MISMATCH.value
_LEGACY_MISMATCH = SubjectConflict.Kind.LEGACY_MISMATCH.value


def _create(chunk: Chunk, row: Row) -> Target:
    target = Target(
        id=None,
        kind=row.kind,
        name=row.name,
        key=row.key,
        uscc=row.uscc or None,
        digest=None,
        masked="",
    )
    chunk.new.append(target)
    if row.key:
        chunk.by_key.setdefault(row.key, []).append(target)
    return target


def _by_name(chunk: Chunk, kind: str, key: str) -> Target | None:
    same = [t for t in chunk.by_key.get(key, ()) if t.kind == kind]
    if len(same) == 1:
        return same[0]
    plain = [t for t in same if not (t.uscc or t.digest or t.has_legacy)]
    # The oldest subject known by this name only (one made in this chunk last).
    return min(plain, key=lambda t: (t.id is None, t.id or 0)) if plain else None


def _set_name(chunk: Chunk, target: Target, row: Row) -> None:
    target.name, target.key, target.variant = row.name, row.key, row.variant
    chunk.by_key.setdefault(row.key, []).append(target)
    target.changed = target.id is not None


def _pick(chunk: Chunk, row: Row) -> tuple[Target, bool, str]:
    """The row's subject (rules 1–4), whether it is new, and the code under
    which the row named it ("" for a name-only row)."""
    if row.uscc:
        target = chunk.by_uscc.get(row.uscc)
        if target is None:
            # 存量代码转换: the subject known by a legacy code (or the ID) takes the USCC.
            for code in row.legacy:
                known = chunk.by_legacy.get(code)
                if known is not None and known.uscc is None:
                    target = known
                    break
            if target is None and row.digest:
                known = chunk.by_digest.get((row.kind, row.digest))
                if known is not None and known.uscc is None:
                    target = known
            if target is None:
                target = _create(chunk, row)
                chunk.by_uscc[row.uscc] = target
                return target, True, row.uscc
            target.uscc = row.uscc
            target.changed = target.id is not None
            chunk.by_uscc[row.uscc] = target
        return target, False, row.uscc
    if row.legacy:
        for code in row.legacy:
            target = chunk.by_legacy.get(code)
            if target is not None:
                return target, False, code[1]
        if row.digest:
            target = chunk.by_digest.get((row.kind, row.digest))
            if target is not None:
                return target, False, row.masked
        return _create(chunk, row), True, row.legacy[0][1]
    if row.digest:
        target = chunk.by_digest.get((row.kind, row.digest))
        if target is None:
            return _create(chunk, row), True, row.masked
        return target, False, row.masked
    target = _by_name(chunk, row.kind, row.key)
    if target is None:
        return _create(chunk, row), True, ""
    return target, False, ""


def decide(chunk: Chunk, row: Row) -> Target:
    """The subject of one row; records on the chunk what is new about it and
    the doubts the row raises."""
    target, created, seen_code = _pick(chunk, row)

    for code in row.legacy:
        known = chunk.by_legacy.get(code)
        if known is None:
            chunk.by_legacy[code] = target
            chunk.new_codes.append((code[0], code[1], target))
            target.has_legacy = True
        elif known is not target:
            chunk.add_conflict(
                _LEGACY_MISMATCH, target, f"{code[0]}:{code[1]}", known, row, code[1]
            )

    if row.digest and target.digest is None and (target.kind, row.digest) not in chunk.by_digest:
        target.digest, target.masked, target.sealed = row.digest, row.masked, row.sealed
        chunk.by_digest[(target.kind, row.digest)] = target
        target.changed = target.id is not None
    elif row.sealed and target.sealed_missing and target.digest == row.digest:
        # A person registered before IDs were kept encrypted: keep it now.
        target.sealed, target.sealed_missing = row.sealed, False
        target.changed = True

    if row.key and not created:
        if not target.key:
            _set_name(chunk, target, row)
        elif target.variant != row.variant:
            chunk.name_checks.append((target, row, seen_code))

    if row.uscc and row.key:
        for other in chunk.by_key.get(row.key, ()):
            if other is not target and other.uscc and other.uscc != row.uscc:
                chunk.add_conflict(_CODE_MISMATCH, target, other, other, row, row.uscc)

    with_code = bool(row.uscc or row.legacy)
    target.with_code = with_code or bool(target.with_code)
    return target
