"""The database's own share of an import: a lower bound on its time.

`xinyong bench ingest --floor` imports its file as usual, then copies every
table the import wrote into an empty twin with the same indexes and
constraints (foreign keys included, checked as the import checks them) by
`INSERT … SELECT`, in one transaction, and times the copies and the COMMIT.
That is the database writing the import's rows with no Python, no reading,
no validation and no look-ups. An import is one transaction on one
connection, and a database writes a transaction on one core: whatever the
platform's code does, importing the same rows cannot take less time than this
on the same machine. The twins are dropped afterwards.

It also times the reading side alone (`reading_alone`: the file read and
validated again, nothing written): that work runs on the other core during
an import (part of it may move to the writing process), so on two cores an
import needs at least half the sum of the two.

Not copied: triggers (on SQLite they would write into the real search index;
their work is the search-index tables, which are copied as tables of their own).
"""

import gc
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from xinyong.core import clock
from xinyong.ingest import pipeline
from xinyong.ingest.models import Batch, RejectedRow
from xinyong.ingest.readers import read_rows
from xinyong.records.models import Record, RecordRevision
from xinyong.subjects.models import (
    Subject,
    SubjectConflict,
    SubjectIdentifier,
    SubjectSighting,
)

PREFIX = "floor_"
# Written by the import's triggers or its deferred search-index step.
_SEARCH_BIGRAMS = "subjects_search_bigram"
_SEARCH_FTS = "subjects_search_fts"  # SQLite only: a contentless FTS5 table


@dataclass
class Copy:
    table: str
    rows: int
    seconds: float
    indexes: int  # of the twin, unique ones included
    foreign_keys: int  # of the twin


def import_tables() -> list[str]:
    """The tables an import writes, parents first."""
    models = (
        Subject,
        SubjectIdentifier,
        SubjectSighting,
        SubjectConflict,
        Record,
        RecordRevision,
        RejectedRow,
    )
    return [model._meta.db_table for model in models] + [_SEARCH_BIGRAMS]


def measure() -> tuple[list[Copy], float]:
    """Copy every table an import writes into twins in one transaction;
    return the copies and the COMMIT's seconds. Must not run inside a
    transaction (it commits)."""
    if connection.in_atomic_block:
        # Inside a transaction the copies would end in a savepoint, and the
        # timed "COMMIT" would measure nothing.
        raise RuntimeError("floor.measure commits: call it outside a transaction")
    tables = import_tables()
    copies: list[Copy] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in tables:
                    _create_twin(cursor, table)
                if connection.vendor == "sqlite":
                    _create_fts_twin(cursor)
                for table in tables:
                    order = "bigram, subject_id" if table == _SEARCH_BIGRAMS else "id"
                    started = time.perf_counter()
                    cursor.execute(
                        f"INSERT INTO {_q(PREFIX + table)} SELECT * FROM {_q(table)} "
                        f"ORDER BY {order}"
                    )
                    copies.append(_copy(cursor, table, time.perf_counter() - started))
                if connection.vendor == "sqlite":
                    started = time.perf_counter()
                    cursor.execute(
                        f"INSERT INTO {_q(PREFIX + _SEARCH_FTS)} (rowid, name_key) "
                        f"SELECT id, name_key FROM {_q(Subject._meta.db_table)} "
                        "WHERE kind <> 'person'"
                    )
                    copies.append(_copy(cursor, _SEARCH_FTS, time.perf_counter() - started))
            mark = time.perf_counter()
        commit = time.perf_counter() - mark
    finally:
        drop_twins()
    return copies, commit


def reading_alone(batch: Batch, path: Path) -> tuple[float, int]:
    """The other half of an import's work: read and validate the batch's file
    again on this process alone (as the import's reading worker does, with
    the cyclic collector off), writing nothing. Returns (seconds, rows received)."""
    reading = pipeline.Reading(batch, batch.version.schema, clock.today())
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        parts = pipeline.read_and_validate(reading, read_rows(path))
        next(parts)  # the header map
        received = sum(chunk.received for chunk in parts)
        return time.perf_counter() - started, received
    finally:
        if was_enabled:
            gc.enable()


def drop_twins() -> None:
    with connection.cursor() as cursor:
        for table in [*import_tables(), _SEARCH_FTS]:
            cursor.execute(f"DROP TABLE IF EXISTS {_q(PREFIX + table)}")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy(cursor, table: str, seconds: float) -> Copy:
    twin = PREFIX + table
    cursor.execute(f"SELECT count(*) FROM {_q(twin)}")
    (rows,) = cursor.fetchone()
    if table == _SEARCH_FTS:
        return Copy(table, rows, seconds, indexes=1, foreign_keys=0)
    constraints = connection.introspection.get_constraints(cursor, twin)
    return Copy(
        table,
        rows,
        seconds,
        indexes=sum(1 for c in constraints.values() if c["index"] or c["unique"]),
        foreign_keys=sum(1 for c in constraints.values() if c["foreign_key"]),
    )


def _create_twin(cursor, table: str) -> None:
    twin = PREFIX + table
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TABLE {_q(twin)} (LIKE {_q(table)} INCLUDING ALL)")
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_q(twin)} ADD {definition}")
        return
    # SQLite keeps each table's and index's CREATE statement: rename and rerun
    # them (the table's own statement carries its foreign keys).
    cursor.execute(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE tbl_name = %s AND type IN ('table', 'index') AND sql IS NOT NULL "
        "ORDER BY type = 'index'",
        [table],
    )
    for kind, name, sql in cursor.fetchall():
        sql = _rename(sql, table, twin)
        if kind == "index":
            sql = _rename(sql, name, PREFIX + name)
        cursor.execute(sql)


def _create_fts_twin(cursor) -> None:
    cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [_SEARCH_FTS])
    (sql,) = cursor.fetchone()
    cursor.execute(_rename(sql, _SEARCH_FTS, PREFIX + _SEARCH_FTS))


def _rename(sql: str, old: str, new: str) -> str:
    """`old` as a whole name, quoted or not, becomes `new` (quoted)."""
    return re.sub(rf'"{re.escape(old)}"|\b{re.escape(old)}\b', f'"{new}"', sql, count=1)
