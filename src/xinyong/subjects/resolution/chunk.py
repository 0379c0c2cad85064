"""What the resolution of one chunk knows: the subjects it read or is about
to create (`Target`), indexed by code, digest and name key, and what it
will write (`Chunk`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from xinyong.core import clock
from xinyong.core.columns import max_length
from xinyong.subjects.models import SubjectConflict
from xinyong.subjects.naming import variant_form
from xinyong.subjects.resolution.candidates import Row

_SOURCE_MAX = max_length(SubjectConflict, "source")
# A department's sighting of a subject is moved at most once per window.
SIGHTING_REFRESH = dt.timedelta(hours=1)


@dataclass(slots=True, eq=False)
class Target:
    """A subject of the chunk: read from the database (`id` set) or about to
    be created (`id` None until written). Compared by identity."""

    id: int | None
    kind: str
    name: str
    key: str
    uscc: str | None
    digest: str | None
    masked: str
    sealed: str = ""  # the encrypted ID to write ("" when unchanged or none)
    # A read subject with a digest but no encrypted ID (stored before it was kept).
    sealed_missing: bool = False
    # The department's sighting as read: None if never seen; `fresh` if
    # last seen within the refresh window (then no upsert is needed).
    seen_with_code: bool | None = None
    fresh: bool = False
    variant: str = field(init=False)
    has_legacy: bool = False
    changed: bool = False  # a known subject took a USCC, a name or a digest
    with_code: bool | None = None  # None: not submitted in this chunk

    def __post_init__(self) -> None:
        self.variant = variant_form(self.key)

    @property
    def written_id(self) -> int:
        """The id of a subject in the database: read, or written by `writing.write`."""
        if self.id is None:
            raise RuntimeError(f"subject {self.name!r} is not written yet")
        return self.id


class Doubt(NamedTuple):
    """What a row showed that contradicts the registry (a conflict to queue)."""

    other: Target | None
    seen_name: str
    seen_code: str


class Chunk:
    """The state of one chunk's resolution: `reading.load` fills the indexes
    from the database, `deciding.decide` picks or creates a target per row,
    `writing.write` writes what is new."""

    def __init__(
        self,
        department_id: int,
        rows: list[Row | None],
        source: str,
        pending_batch_id: int | None = None,
    ) -> None:
        self.department_id = department_id
        # New subjects stay invisible until this import batch is done.
        self.pending_batch_id = pending_batch_id
        self.rows = rows
        self.source = source[:_SOURCE_MAX]
        self.now = clock.now()
        self.by_id: dict[int, Target] = {}
        self.by_uscc: dict[str, Target] = {}
        self.by_digest: dict[tuple[str, str], Target] = {}
        self.by_legacy: dict[tuple[str, str], Target] = {}
        self.by_key: dict[str, list[Target]] = {}
        self.new: list[Target] = []
        self.new_codes: list[tuple[str, str, Target]] = []  # (kind, value, target)
        self.name_checks: list[tuple[Target, Row, str]] = []  # (target, row, seen code)
        # (conflict kind, subject, seen key or the other target) → what was seen
        self.conflicts: dict[tuple[str, Target, str | Target], Doubt] = {}

    def add_conflict(
        self,
        kind: str,
        target: Target,
        seen_key: str | Target,
        other: Target | None,
        row: Row,
        seen_code: str,
    ) -> None:
        """Queue a doubt, once per (kind, subject, what identifies it)."""
        self.conflicts.setdefault((kind, target, seen_key), Doubt(other, row.name, seen_code))
