"""PostgreSQL: the production database.

The subject-name search index (created by migration `subjects.0002`, which
freezes a copy of the DDL below as it was then):

- `subjects_search_trgm`: a pg_trgm GIN index on `subjects_subject.name_key`
  (partial: not persons), for queries of 3 characters or more (`LIKE
  '%…%'`); prefixes (`LIKE 'q%'`) use the `varchar_pattern_ops` B-tree that
  Django creates for `name_key` (db_index);
- `subjects_search_bigram` (bigram, subject_id): every 2-character substring
  of every name, for 2-character queries, which a trigram index cannot
  answer, kept by statement-level triggers with transition tables (one
  INSERT … SELECT per statement of an import, not one per row); TRUNCATE of
  subjects empties it.

Natural persons (`kind = 'person'`) are never indexed: the public site must
not find a person by name.
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from typing import Any

from django.db import transaction
from django.db.backends.utils import CursorWrapper

from xinyong.core.db.base import Dialect, Fragment

# The rows of new subjects cannot have bigrams yet (DISTINCT keeps each pair
# once): a plain INSERT, without ON CONFLICT's speculative insertion
# (its cost: bench/README.md).
SEARCH_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION subjects_search_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO subjects_search_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n, generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE n.kind <> 'person';
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION subjects_search_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM subjects_search_bigram b USING old_rows o
  WHERE o.kind <> 'person' AND b.subject_id = o.id
    AND b.bigram IN (SELECT substr(o.name_key, i, 2)
                     FROM generate_series(1, char_length(o.name_key) - 1) AS i);
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION subjects_search_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose name key or kind changed (an upsert touches many more).
  DELETE FROM subjects_search_bigram b USING old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.name_key IS DISTINCT FROM n.name_key OR o.kind IS DISTINCT FROM n.kind)
    AND o.kind <> 'person' AND b.subject_id = o.id
    AND b.bigram IN (SELECT substr(o.name_key, i, 2)
                     FROM generate_series(1, char_length(o.name_key) - 1) AS i);
  INSERT INTO subjects_search_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n JOIN old_rows o ON o.id = n.id,
       generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE (o.name_key IS DISTINCT FROM n.name_key OR o.kind IS DISTINCT FROM n.kind)
    AND n.kind <> 'person'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION subjects_search_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM subjects_search_bigram;
  RETURN NULL;
END $$""",
]

SEARCH_TRIGGERS = [
    """CREATE TRIGGER subjects_search_insert AFTER INSERT ON subjects_subject
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION subjects_search_insert()""",
    """CREATE TRIGGER subjects_search_delete AFTER DELETE ON subjects_subject
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION subjects_search_delete()""",
    """CREATE TRIGGER subjects_search_update AFTER UPDATE ON subjects_subject
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION subjects_search_update()""",
    """CREATE TRIGGER subjects_search_truncate AFTER TRUNCATE ON subjects_subject
FOR EACH STATEMENT EXECUTE FUNCTION subjects_search_truncate()""",
]


def search_index_create() -> list[str]:
    """The search index from nothing, existing subjects included (what
    migration `subjects.0002` leaves, and a fresh database after it)."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        """CREATE INDEX subjects_search_trgm ON subjects_subject
USING gin (name_key gin_trgm_ops) WHERE kind <> 'person'""",
        """CREATE TABLE subjects_search_bigram (
  bigram varchar(2) NOT NULL,
  subject_id bigint NOT NULL,
  PRIMARY KEY (bigram, subject_id)
)""",
        *SEARCH_FUNCTIONS,
        *SEARCH_TRIGGERS,
        """INSERT INTO subjects_search_bigram (bigram, subject_id)
SELECT DISTINCT substr(s.name_key, i, 2), s.id
FROM subjects_subject s, generate_series(1, char_length(s.name_key) - 1) AS i
WHERE s.kind <> 'person'""",
    ]


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(texts: Sequence[str]) -> str:
    """A LIKE pattern of `texts` in their order, anything between
    (“%神农架%惠农菊%”), wildcards in them taken literally."""
    return "%" + "%".join(like_escape(text) for text in texts) + "%"


def _never_prepared(
    execute: Callable[..., Any],
    sql: str,
    params: Any,  # noqa: ANN401 — a statement's parameters, of any shape
    many: bool,
    context: dict[str, Any],
) -> Any:  # noqa: ANN401 — whatever the cursor returns
    """A Django execute wrapper that runs the statement through psycopg with
    `prepare=False` (psycopg's per-statement choice): still logged and
    counted by Django's cursor like any other statement."""
    cursor = context["cursor"]
    with context["connection"].wrap_database_errors:
        return cursor.cursor.execute(sql, params, prepare=False)


class PostgreSQLDialect(Dialect):
    vendor = "postgresql"
    has_advisory_locks = True

    def counter_add(self, key: str, amount: int, *, expires: int) -> int:
        # One statement, atomic under concurrency: the row is made or added to.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_ratecount (key, count, expires) VALUES (%s, %s, %s) "
                "ON CONFLICT (key) DO UPDATE SET count = core_ratecount.count + EXCLUDED.count "
                "RETURNING count",
                [key, amount, expires],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else amount

    def counters_purge(self, now: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_ratecount WHERE expires < %s", [now])

    def try_advisory_lock(self, key: int) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            row = cursor.fetchone()
        return bool(row and row[0])

    def advisory_unlock(self, key: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

    def transaction_lock(self, key: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])

    # -- bulk SQL ----------------------------------------------------------------

    def any_of(self, column: str, values: Iterable[Any]) -> Fragment:
        # A PostgreSQL array.
        return Fragment(f"{column} = ANY(%s)", [list(values)])

    def in_subquery(self, column_sql: str, subquery_sql: str, *, use_index: bool) -> str:
        # An InitPlan run once: the planner treats it like a list of ids (a
        # join or `IN (subquery)` may be planned as a join). The planner needs
        # no hint to leave an index alone.
        return f"{column_sql} = ANY(ARRAY{subquery_sql})"

    def not_in_subquery(self, column_sql: str, subquery_sql: str) -> str:
        # An InitPlan array: `<> ALL` is estimated as keeping nearly every
        # row, where `NOT (hashed SubPlan) OR col IS NULL` halved the
        # estimate and turned ordered index walks into bitmap scans + sorts.
        return f"COALESCE({column_sql}, 0) <> ALL(ARRAY{subquery_sql})"

    def execute_binary(self, cursor: CursorWrapper, sql: str, params: Sequence[Any]) -> None:
        """Large arrays as parameters go in binary form: psycopg's text form
        escapes every element in Python, which costs more than the statement.
        A client-side binding cursor (server_side_binding off) has no binary
        form."""
        raw = cursor.cursor
        if type(raw).__name__ == "ClientCursor":
            cursor.execute(sql, params)
            return
        # Straight to psycopg, so translate its errors as Django's cursor
        # would (callers catch django.db.IntegrityError).
        with self.connection.wrap_database_errors:
            raw.execute(sql, params, binary=True)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        cols = ", ".join(self.quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

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
        """One statement, one array per column through UNNEST, as Django 5.2's
        `bulk_create` does: planning thousands of placeholders costs more than
        the insert itself."""
        head = f"INSERT INTO {table} ({', '.join(self.quote(c) for c in columns)}) "
        tail = (f" {suffix}" if suffix else "") + (" RETURNING id" if returning else "")
        # varchar[] rather than varchar(50)[]: no silent truncation.
        arrays = ", ".join(f"(%s)::{db_type.split('(')[0]}[]" for db_type in db_types)
        with self.connection.cursor() as cursor:
            self.execute_binary(
                cursor,
                f"{head}SELECT * FROM UNNEST({arrays}){tail}",
                [*map(list, zip(*rows, strict=True)), *suffix_params],
            )
            return [row[0] for row in cursor.fetchall()] if returning else []

    def update_many(
        self,
        table: str,
        columns: Sequence[str],
        db_types: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        also: dict[str, Any],
    ) -> None:
        # COPY into a temporary table, then one UPDATE … FROM.
        names = [self.quote(c) for c in columns]
        definition = ", ".join(
            f"{name} {db_type}" for name, db_type in zip(names, db_types, strict=True)
        )
        assignments = ", ".join(
            [f"{name} = w.{name}" for name in names] + [f"{self.quote(c)} = %s" for c in also]
        )
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE xy_update ({definition}, id bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY xy_update ({', '.join(names)}, id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS r SET {assignments} FROM xy_update AS w WHERE r.id = w.id",
                list(also.values()),
            )
            cursor.execute("DROP TABLE xy_update")

    # -- one connection's session -------------------------------------------------

    def analyze(self, table: str, columns: Sequence[str]) -> None:
        """ANALYZE may run inside a transaction and counts its own new rows:
        a table grown by a million rows in one still looks empty to the
        planner otherwise. Only `columns` are sampled (the row count is
        refreshed whatever the columns)."""
        names = ", ".join(self.quote(column) for column in columns)
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.quote(table)} ({names})")

    def check_constraints_per_statement(self) -> None:
        """Django declares foreign keys DEFERRABLE INITIALLY DEFERRED; a bulk
        write that puts parents before children needs no deferral, and
        deferred checks run one by one at COMMIT (bench/README.md)."""
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def yield_writes(self, seconds: float) -> None:
        return

    def page_cache(self, megabytes: int) -> nullcontext[None]:
        # The server's shared buffers serve every connection.
        return nullcontext()

    def fetch_unprepared(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Connections prepare a statement run `XINYONG_PG_PREPARE` times
        (settings): most statements gain from it. After five runs of a
        prepared statement PostgreSQL may settle on one generic plan, and
        that of a search's `name_key LIKE $2` reads the whole table
        (bench/README.md). This statement alone is sent unprepared, so it is
        planned for its values every time."""
        with self.connection.cursor() as cursor:
            with self.connection.execute_wrapper(_never_prepared):
                cursor.execute(sql, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows

    def explain(self, sql: str, params: Sequence[Any]) -> list[str]:
        return [row[0] for row in self.fetch_unprepared("EXPLAIN " + sql, params)]

    # -- the subject-name search index ----------------------------------------------

    def name_prefix(self, key: str, *, cap: int, exclude_kind: str) -> Fragment:
        # `LIKE 'q%'` uses the varchar_pattern_ops B-tree on name_key.
        return Fragment(
            "SELECT id, name_key FROM subjects_subject "
            "WHERE kind <> %s AND name_key LIKE %s LIMIT %s",
            [exclude_kind, like_escape(key) + "%", cap],
        )

    def name_contains(
        self, key: str, pieces: Sequence[str], *, cap: int, exclude_kind: str
    ) -> Fragment:
        # The trigram GIN index answers the LIKE; strpos checks the whole key.
        return Fragment(
            "SELECT id, name_key FROM subjects_subject "
            "WHERE kind <> %s AND name_key LIKE %s AND strpos(name_key, %s) > 0 LIMIT %s",
            [exclude_kind, like_pattern(pieces or [key]), key, cap],
        )

    def search_index_deferred(self) -> nullcontext[None]:
        # The triggers are per statement already: set-based.
        return nullcontext()

    def search_index_objects(self) -> dict[str, set[str]]:
        queries = {
            "table": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename LIKE 'subjects\\_search\\_%%'",
            "index": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname LIKE 'subjects\\_search\\_%%'",
            "trigger": "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'subjects_subject'::regclass AND NOT tgisinternal "
            "AND tgname LIKE 'subjects\\_search\\_%%'",
            "function": "SELECT proname FROM pg_proc "
            "WHERE pronamespace = current_schema()::regnamespace "
            "AND proname LIKE 'subjects\\_search\\_%%'",
        }
        found: dict[str, set[str]] = {}
        with self.connection.cursor() as cursor:
            for kind, sql in queries.items():
                cursor.execute(sql, [])
                found[kind] = {row[0] for row in cursor.fetchall()}
        return found

    def ensure_search_triggers(self) -> None:
        # ALTER TABLE keeps triggers and indexes, a table rewrite included.
        return
