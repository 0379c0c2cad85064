"""SQLite: the embedded default database.

The subject-name search index (created by migration `subjects.0002`, which
freezes a copy of the DDL below as it was then):

- `subjects_search_fts`: a contentless FTS5 table with the `trigram`
  tokenizer (rowid = subject id), for queries of 3 characters or more;
- `subjects_search_bigram` (bigram, subject_id), WITHOUT ROWID: every
  2-character substring of every name, for 2-character queries, which a
  trigram index cannot answer;
- `subjects_search_seq` (1…the longest name key): the numbers a trigger
  needs to cut a name into bigrams (SQLite allows no WITH clause inside a
  trigger);
- `subjects_search_deferral`: while it holds a row (inside
  `search_index_deferred`), subjects with an id above its `last_id` are left
  to the block's end, indexed there in two set-based statements;
- row triggers on `subjects_subject` (below) keep all of it in step.

Natural persons (`kind = 'person'`) are never indexed: the public site must
not find a person by name.
"""

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.utils import CursorWrapper

from xinyong.core.db.base import MAX_PARAMS, Dialect, Fragment

# A subject is "set aside" while a deferral row marks ids above its last_id.
_NOT_SET_ASIDE = "NOT EXISTS (SELECT 1 FROM subjects_search_deferral d WHERE {row}.id > d.last_id)"

_BIGRAMS_OF_OLD = (
    "SELECT substr(OLD.name_key, subjects_search_seq.i, 2) FROM subjects_search_seq "
    "WHERE subjects_search_seq.i < length(OLD.name_key)"
)

SEARCH_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS subjects_search_insert
AFTER INSERT ON subjects_subject
WHEN NEW.kind <> 'person' AND {_NOT_SET_ASIDE.format(row="NEW")}
BEGIN
  INSERT INTO subjects_search_fts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
  INSERT OR IGNORE INTO subjects_search_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM subjects_search_seq
    WHERE i < length(NEW.name_key);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS subjects_search_delete
AFTER DELETE ON subjects_subject
WHEN OLD.kind <> 'person' AND {_NOT_SET_ASIDE.format(row="OLD")}
BEGIN
  INSERT INTO subjects_search_fts (subjects_search_fts, rowid, name_key)
    VALUES ('delete', OLD.id, OLD.name_key);
  DELETE FROM subjects_search_bigram
    WHERE subject_id = OLD.id AND bigram IN ({_BIGRAMS_OF_OLD});
END""",
    f"""CREATE TRIGGER IF NOT EXISTS subjects_search_update
AFTER UPDATE OF name_key, kind ON subjects_subject
WHEN (OLD.name_key IS NOT NEW.name_key OR OLD.kind IS NOT NEW.kind)
  AND {_NOT_SET_ASIDE.format(row="OLD")}
BEGIN
  INSERT INTO subjects_search_fts (subjects_search_fts, rowid, name_key)
    SELECT 'delete', OLD.id, OLD.name_key WHERE OLD.kind <> 'person';
  DELETE FROM subjects_search_bigram
    WHERE OLD.kind <> 'person' AND subject_id = OLD.id AND bigram IN ({_BIGRAMS_OF_OLD});
  INSERT INTO subjects_search_fts (rowid, name_key)
    SELECT NEW.id, NEW.name_key WHERE NEW.kind <> 'person';
  INSERT OR IGNORE INTO subjects_search_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM subjects_search_seq
    WHERE NEW.kind <> 'person' AND i < length(NEW.name_key);
END""",
]


def _index_above(bound: str) -> list[str]:
    """Index every subject with an id above `bound` (SQL: a placeholder or
    a number), set-based, the bigram rows in key order (a B-tree fills
    fastest in order)."""
    return [
        f"""INSERT INTO subjects_search_fts (rowid, name_key)
SELECT id, name_key FROM subjects_subject WHERE id > {bound} AND kind <> 'person'""",
        f"""INSERT OR IGNORE INTO subjects_search_bigram (bigram, subject_id)
SELECT substr(s.name_key, q.i, 2), s.id FROM subjects_subject s
JOIN subjects_search_seq q ON q.i < length(s.name_key)
WHERE s.id > {bound} AND s.kind <> 'person' ORDER BY 1, 2""",
    ]


# The end of a deferred block: the parameter is the deferral's last_id.
SEARCH_INDEX_AFTER = _index_above("%s")


def search_index_create(name_max: int) -> list[str]:
    """The search index from nothing, for name keys of up to `name_max`
    characters, existing subjects included (what migration `subjects.0002`
    leaves, and a fresh database after it)."""
    return [
        "CREATE TABLE subjects_search_seq (i INTEGER PRIMARY KEY)",
        "INSERT INTO subjects_search_seq (i) WITH RECURSIVE s(i) AS "
        f"(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {int(name_max)}) SELECT i FROM s",
        "CREATE VIRTUAL TABLE subjects_search_fts USING fts5(name_key, content='', tokenize='trigram')",
        """CREATE TABLE subjects_search_bigram (
  bigram TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  PRIMARY KEY (bigram, subject_id)
) WITHOUT ROWID""",
        "CREATE TABLE subjects_search_deferral (last_id INTEGER NOT NULL)",
        *_index_above("0"),
        *SEARCH_TRIGGERS,
    ]


def fts_phrase(text: str) -> str:
    """An FTS5 string literal: the whole text as one phrase (trigram: a substring)."""
    return '"' + text.replace('"', '""') + '"'


def fts_query(texts: Iterable[str]) -> str:
    """The FTS5 query asking for every text of `texts` (each a phrase)."""
    return " ".join(fts_phrase(text) for text in texts)


class SQLiteDialect(Dialect):
    vendor = "sqlite"

    # -- bulk SQL ----------------------------------------------------------------

    def counter_add(self, key: str, amount: int, *, expires: int) -> int:
        """In the counters' own file (`settings.RATE_LIMIT_FILE`), not the
        main database: an import holds the main database's one write lock for
        its whole length, and a search must not wait for it."""
        return _counters().add(key, amount, expires)

    def counters_purge(self, now: int) -> None:
        _counters().purge(now)

    def any_of(self, column: str, values: Iterable[Any]) -> Fragment:
        # SQLite's JSON1: the list as one JSON text.
        return Fragment(
            f"{column} IN (SELECT value FROM json_each(%s))",
            [json.dumps(list(values), ensure_ascii=False)],
        )

    def in_subquery(self, column_sql: str, subquery_sql: str, *, use_index: bool) -> str:
        # `column + 0` is not the column: its index is out of the planner's choice.
        column = column_sql if use_index else f"({column_sql} + 0)"
        return f"{column} IN {subquery_sql}"

    def not_in_subquery(self, column_sql: str, subquery_sql: str) -> str:
        return f"COALESCE({column_sql}, 0) NOT IN {subquery_sql}"

    def execute_binary(self, cursor: CursorWrapper, sql: str, params: Sequence[Any]) -> None:
        cursor.execute(sql, params)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # One prepared INSERT run for every row.
        cols = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)

    def insert_many(
        self,
        table: str,
        columns: Sequence[str],
        db_types: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        suffix: str,
        suffix_params: Sequence[Any],
        returning: bool,
    ) -> list[int]:
        # Multi-row VALUES, as many rows a statement as the parameter limit allows.
        head = f"INSERT INTO {table} ({', '.join(self.quote(c) for c in columns)}) "
        tail = (f" {suffix}" if suffix else "") + (" RETURNING id" if returning else "")
        width = len(columns)
        per_statement = max(1, (self._max_params() - len(suffix_params)) // width)
        row_sql = "(" + ", ".join(["%s"] * width) + ")"
        ids: list[int] = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                part = rows[start : start + per_statement]
                params = [value for row in part for value in row]
                params.extend(suffix_params)
                cursor.execute(f"{head}VALUES {', '.join([row_sql] * len(part))}{tail}", params)
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return ids

    def update_many(
        self,
        table: str,
        columns: Sequence[str],
        db_types: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        also: dict[str, Any],
    ) -> None:
        # One prepared UPDATE run for every row.
        assignments = ", ".join(f"{self.quote(c)} = %s" for c in [*columns, *also])
        extra = list(also.values())
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",
                [(*row[:-1], *extra, row[-1]) for row in rows],
            )

    def _max_params(self) -> int:
        self.connection.ensure_connection()
        limit = self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return min(MAX_PARAMS, int(limit))

    # -- one connection's session -------------------------------------------------

    def analyze(self, table: str, columns: Sequence[str]) -> None:
        # SQLite plans from its indexes without fresh statistics.
        return

    def check_constraints_per_statement(self) -> None:
        # Django's SQLite foreign keys are checked at COMMIT by design.
        return

    def yield_writes(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    @contextmanager
    def page_cache(self, megabytes: int) -> Iterator[None]:
        if megabytes <= 0:
            yield
            return
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            # A negative cache_size is in KiB.
            cursor.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")
        try:
            yield
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def fetch_unprepared(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        # SQLite re-plans a statement whose bound values change its plan.
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows

    def explain(self, sql: str, params: Sequence[Any]) -> list[str]:
        depth: dict[int, int] = {0: 0}
        lines = []
        for node, parent, _unused, detail in self.fetch_unprepared(
            "EXPLAIN QUERY PLAN " + sql, params
        ):
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines

    # -- the subject-name search index ----------------------------------------------

    def name_prefix(self, key: str, *, cap: int, exclude_kind: str) -> Fragment:
        # A range on the name_key B-tree is a prefix match (BINARY collation).
        return Fragment(
            "SELECT id, name_key FROM subjects_subject "
            "WHERE name_key >= %s AND name_key < %s AND kind <> %s LIMIT %s",
            [key, key + "\U0010ffff", exclude_kind, cap],
        )

    def name_contains(
        self, key: str, pieces: Sequence[str], *, cap: int, exclude_kind: str
    ) -> Fragment:
        if pieces:
            # A few of the key's trigrams, then the whole key, before the cap.
            return Fragment(
                "SELECT s.id, s.name_key FROM (SELECT rowid AS id FROM subjects_search_fts "
                "WHERE subjects_search_fts MATCH %s) AS fts_hits "
                "JOIN subjects_subject s ON s.id = fts_hits.id "
                "WHERE s.kind <> %s AND instr(s.name_key, %s) > 0 LIMIT %s",
                [fts_query(pieces), exclude_kind, key, cap],
            )
        # The whole key as one phrase: every hit contains it.
        return Fragment(
            "SELECT s.id, s.name_key FROM (SELECT rowid AS id FROM subjects_search_fts "
            "WHERE subjects_search_fts MATCH %s LIMIT %s) AS fts_hits "
            "JOIN subjects_subject s ON s.id = fts_hits.id WHERE s.kind <> %s",
            [fts_phrase(key), cap, exclude_kind],
        )

    @contextmanager
    def search_index_deferred(self) -> Iterator[None]:
        """A row trigger indexes one subject at a time (an FTS5 insert and a
        dozen bigram rows put into the B-tree in random order); the same work
        for all of an import's new subjects in two set-based statements at the
        end, the bigrams in key order, costs a fraction of it (bench/README.md).
        The triggers read `subjects_search_deferral`: the row written here sets
        aside every subject with a higher id, for insert, update and delete
        alike, until the block indexes them and removes the row. The block is
        a savepoint: on an error everything of it goes, the row included, and
        no other connection ever sees the row (it never outlives the block's
        transaction). A block inside another does nothing of its own."""
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM subjects_search_deferral LIMIT 1")
                if cursor.fetchone():
                    nested = True
                else:
                    nested = False
                    cursor.execute(
                        "INSERT INTO subjects_search_deferral (last_id) "
                        "SELECT COALESCE(MAX(id), 0) FROM subjects_subject"
                    )
                    cursor.execute("SELECT last_id FROM subjects_search_deferral")
                    (last_id,) = cursor.fetchone()
            yield
            if nested:
                return
            with self.connection.cursor() as cursor:
                for statement in SEARCH_INDEX_AFTER:
                    cursor.execute(statement, [last_id])
                cursor.execute("DELETE FROM subjects_search_deferral")

    def search_index_objects(self) -> dict[str, set[str]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT type, name FROM sqlite_master "
                "WHERE name LIKE 'subjects\\_search\\_%' ESCAPE '\\'"
            )
            found: dict[str, set[str]] = {}
            for kind, name in cursor.fetchall():
                found.setdefault(kind, set()).add(name)
        return found

    def ensure_search_triggers(self) -> None:
        """Django rebuilds a SQLite table for most changes of it ("remake
        table"), and the rebuild drops its triggers; the rows it copies
        unchanged, so the index content stays right. Run after every migrate."""
        tables = set(self.connection.introspection.table_names())
        if not {"subjects_subject", "subjects_search_fts"} <= tables:
            return
        with self.connection.cursor() as cursor:
            for statement in SEARCH_TRIGGERS:
                cursor.execute(statement)


# -- the shared counters' file --------------------------------------------------------


class _CounterFile:
    """One process's connection to the counters' file."""

    # A write waits this long (seconds) for another process's, then gives up:
    # the caller counts in its own process meanwhile.
    BUSY_TIMEOUT = 0.2

    def __init__(self, path: str) -> None:
        self.path = path
        self.pid = os.getpid()
        self.db = sqlite3.connect(
            path, timeout=self.BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")  # counters, not records: a crash may lose them
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS counts "
            "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires INTEGER NOT NULL)"
        )
        self.db.execute("CREATE INDEX IF NOT EXISTS counts_expires ON counts (expires)")

    def add(self, key: str, amount: int, expires: int) -> int:
        row = self.db.execute(
            "INSERT INTO counts (key, count, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET count = count + excluded.count RETURNING count",
            (key, amount, expires),
        ).fetchone()
        return int(row[0]) if row else amount

    def purge(self, now: int) -> None:
        self.db.execute("DELETE FROM counts WHERE expires < ?", (now,))


_counter_files = threading.local()


def _counters() -> _CounterFile:
    from django.conf import settings

    path = str(settings.RATE_LIMIT_FILE)
    current: _CounterFile | None = getattr(_counter_files, "file", None)
    if current is None or current.path != path or current.pid != os.getpid():
        current = _counter_files.file = _CounterFile(path)
    return current
