"""The DDL of the portal's subject-name search index, per database.

Names are indexed by their matching form `subjects_subject.name_key`
(half-width, no spaces, upper-case Latin). Natural persons (`kind =
'person'`) are never indexed: the public site must not find a person by
name, so their names never enter these structures at all.

SQLite
  - `portal_subject_fts`: a contentless FTS5 table with the `trigram`
    tokenizer (rowid = subject id), for queries of 3 characters or more;
  - `portal_subject_bigram` (bigram, subject_id), WITHOUT ROWID: every
    2-character substring of every name, for 2-character queries, which a
    trigram index cannot answer;
  - `portal_seq` (1…200): the numbers a trigger needs to cut a name into
    bigrams (SQLite does not allow a WITH clause inside a trigger);
  - row triggers on `subjects_subject` keep both in step.

PostgreSQL
  - `pg_trgm` GIN index on `name_key` (partial: not persons), for queries of
    3 characters or more (`LIKE '%…%'`);
  - a `varchar_pattern_ops` B-tree on `name_key` for prefixes;
  - `portal_subject_bigram` as on SQLite, kept by statement-level triggers
    with transition tables (one INSERT … SELECT per import statement, not
    one per row); TRUNCATE of subjects empties it.

The migration `portal.0002` creates all of it. On SQLite, a later migration
of `subjects` that rebuilds the table (Django's "remake table") drops the
triggers with the old table; `ensure_triggers` (run after every migrate)
puts them back — the index content stays right because a remake copies
rows unchanged. A change of this DDL needs a new migration.
"""

from contextlib import contextmanager

NAME_MAX = 200  # subjects.naming.NAME_KEY_MAX

# -- SQLite ------------------------------------------------------------------------

_SQLITE_BIGRAMS_OF = (
    "SELECT substr({row}.name_key, portal_seq.i, 2) FROM portal_seq "
    "WHERE portal_seq.i < length({row}.name_key)"
)

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS portal_subject_index_insert
AFTER INSERT ON subjects_subject WHEN NEW.kind <> 'person'
BEGIN
  INSERT INTO portal_subject_fts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
  INSERT OR IGNORE INTO portal_subject_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM portal_seq WHERE i < length(NEW.name_key);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS portal_subject_index_delete
AFTER DELETE ON subjects_subject WHEN OLD.kind <> 'person'
BEGIN
  INSERT INTO portal_subject_fts (portal_subject_fts, rowid, name_key)
    VALUES ('delete', OLD.id, OLD.name_key);
  DELETE FROM portal_subject_bigram
    WHERE subject_id = OLD.id AND bigram IN ({_SQLITE_BIGRAMS_OF.format(row="OLD")});
END""",
    f"""CREATE TRIGGER IF NOT EXISTS portal_subject_index_update
AFTER UPDATE OF name_key, kind ON subjects_subject
WHEN OLD.name_key IS NOT NEW.name_key OR OLD.kind IS NOT NEW.kind
BEGIN
  INSERT INTO portal_subject_fts (portal_subject_fts, rowid, name_key)
    SELECT 'delete', OLD.id, OLD.name_key WHERE OLD.kind <> 'person';
  DELETE FROM portal_subject_bigram
    WHERE OLD.kind <> 'person' AND subject_id = OLD.id
      AND bigram IN ({_SQLITE_BIGRAMS_OF.format(row="OLD")});
  INSERT INTO portal_subject_fts (rowid, name_key)
    SELECT NEW.id, NEW.name_key WHERE NEW.kind <> 'person';
  INSERT OR IGNORE INTO portal_subject_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM portal_seq
    WHERE NEW.kind <> 'person' AND i < length(NEW.name_key);
END""",
]


def _sqlite_index_subjects_after(last_id: int) -> list[str]:
    """Index every subject with an id above `last_id`, set-based (the bigram
    rows in key order): the backfill of the migration, and the end of an
    import that set the row triggers aside (`subject_index_deferred`)."""
    last_id = int(last_id)
    return [
        f"""INSERT INTO portal_subject_fts (rowid, name_key)
SELECT id, name_key FROM subjects_subject WHERE id > {last_id} AND kind <> 'person'""",
        f"""INSERT OR IGNORE INTO portal_subject_bigram (bigram, subject_id)
SELECT substr(s.name_key, q.i, 2), s.id FROM subjects_subject s
JOIN portal_seq q ON q.i < length(s.name_key)
WHERE s.id > {last_id} AND s.kind <> 'person' ORDER BY 1, 2""",
    ]


SQLITE_CREATE = [
    "CREATE TABLE portal_seq (i INTEGER PRIMARY KEY)",
    f"""INSERT INTO portal_seq (i)
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {NAME_MAX})
SELECT i FROM s""",
    "CREATE VIRTUAL TABLE portal_subject_fts USING fts5(name_key, content='', tokenize='trigram')",
    """CREATE TABLE portal_subject_bigram (
  bigram TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  PRIMARY KEY (bigram, subject_id)
) WITHOUT ROWID""",
    # Backfill what is there already.
    *_sqlite_index_subjects_after(0),
    *SQLITE_TRIGGERS,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS portal_subject_index_insert",
    "DROP TRIGGER IF EXISTS portal_subject_index_delete",
    "DROP TRIGGER IF EXISTS portal_subject_index_update",
    "DROP TABLE IF EXISTS portal_subject_bigram",
    "DROP TABLE IF EXISTS portal_subject_fts",
    "DROP TABLE IF EXISTS portal_seq",
]

# -- PostgreSQL --------------------------------------------------------------------

# The rows of new subjects cannot have bigrams yet (DISTINCT keeps each pair
# once): a plain INSERT, as ON CONFLICT's speculative insertion cost an import
# a third of its subject-writing time (migration portal.0003).
POSTGRES_INSERT_FUNCTION = """CREATE OR REPLACE FUNCTION portal_subject_index_insert()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO portal_subject_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n, generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE n.kind <> 'person';
  RETURN NULL;
END $$"""

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX portal_subject_name_trgm ON subjects_subject
USING gin (name_key gin_trgm_ops) WHERE kind <> 'person'""",
    # Prefixes (`name_key LIKE 'q%'`) use the varchar_pattern_ops index that
    # Django creates for `name_key` (db_index). This one duplicated it until
    # migration portal.0004: one B-tree more to write for every new subject.
    """CREATE TABLE portal_subject_bigram (
  bigram varchar(2) NOT NULL,
  subject_id bigint NOT NULL,
  PRIMARY KEY (bigram, subject_id)
)""",
    POSTGRES_INSERT_FUNCTION,
    """CREATE FUNCTION portal_subject_index_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM portal_subject_bigram b USING old_rows o
  WHERE o.kind <> 'person' AND b.subject_id = o.id
    AND b.bigram IN (SELECT substr(o.name_key, i, 2)
                     FROM generate_series(1, char_length(o.name_key) - 1) AS i);
  RETURN NULL;
END $$""",
    """CREATE FUNCTION portal_subject_index_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose name key or kind changed (an upsert touches many more).
  DELETE FROM portal_subject_bigram b USING old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.name_key IS DISTINCT FROM n.name_key OR o.kind IS DISTINCT FROM n.kind)
    AND o.kind <> 'person' AND b.subject_id = o.id
    AND b.bigram IN (SELECT substr(o.name_key, i, 2)
                     FROM generate_series(1, char_length(o.name_key) - 1) AS i);
  INSERT INTO portal_subject_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n JOIN old_rows o ON o.id = n.id,
       generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE (o.name_key IS DISTINCT FROM n.name_key OR o.kind IS DISTINCT FROM n.kind)
    AND n.kind <> 'person'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    """CREATE FUNCTION portal_subject_index_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM portal_subject_bigram;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER portal_subject_index_insert AFTER INSERT ON subjects_subject
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION portal_subject_index_insert()""",
    """CREATE TRIGGER portal_subject_index_delete AFTER DELETE ON subjects_subject
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION portal_subject_index_delete()""",
    """CREATE TRIGGER portal_subject_index_update AFTER UPDATE ON subjects_subject
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION portal_subject_index_update()""",
    """CREATE TRIGGER portal_subject_index_truncate AFTER TRUNCATE ON subjects_subject
FOR EACH STATEMENT EXECUTE FUNCTION portal_subject_index_truncate()""",
    # Backfill what is there already.
    """INSERT INTO portal_subject_bigram (bigram, subject_id)
SELECT DISTINCT substr(s.name_key, i, 2), s.id
FROM subjects_subject s, generate_series(1, char_length(s.name_key) - 1) AS i
WHERE s.kind <> 'person'
ON CONFLICT DO NOTHING""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS portal_subject_index_insert ON subjects_subject",
    "DROP TRIGGER IF EXISTS portal_subject_index_delete ON subjects_subject",
    "DROP TRIGGER IF EXISTS portal_subject_index_update ON subjects_subject",
    "DROP TRIGGER IF EXISTS portal_subject_index_truncate ON subjects_subject",
    "DROP FUNCTION IF EXISTS portal_subject_index_insert()",
    "DROP FUNCTION IF EXISTS portal_subject_index_delete()",
    "DROP FUNCTION IF EXISTS portal_subject_index_update()",
    "DROP FUNCTION IF EXISTS portal_subject_index_truncate()",
    "DROP TABLE IF EXISTS portal_subject_bigram",
    "DROP INDEX IF EXISTS portal_subject_name_prefix",
    "DROP INDEX IF EXISTS portal_subject_name_trgm",
    # The extension stays: other apps may use it.
]


def ensure_triggers(connection) -> None:
    """Put back the SQLite triggers if a table rebuild of subjects dropped them."""
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if "portal_subject_fts" not in tables or "subjects_subject" not in tables:
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)


# -- bulk imports --------------------------------------------------------------------

_SQLITE_UPDATE_WHEN = "WHEN OLD.name_key IS NOT NEW.name_key OR OLD.kind IS NOT NEW.kind"


@contextmanager
def subject_index_deferred(connection):
    """Inside the block, subjects created are indexed in bulk at its end
    rather than one by one by the row triggers (SQLite; elsewhere a no-op).

    A row trigger costs an import ~100 µs per new subject (an FTS5 insert and
    a dozen bigram rows put into the B-tree in random order); the same work
    as two set-based statements at the end, the bigrams in key order, costs
    about a quarter. Must run inside the import's transaction: the triggers
    are dropped and put back within it, so no other connection ever sees
    them missing, and a failed import rolls the drop back with the rest.
    During the block, the update trigger still covers the subjects that
    existed before it (a name change of one of those is indexed at once).
    """
    if connection.vendor != "sqlite" or "portal_subject_fts" not in set(
        connection.introspection.table_names()
    ):
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("subject_index_deferred needs the caller's transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM subjects_subject")
        (last,) = cursor.fetchone()
        last = int(last)
        update = SQLITE_TRIGGERS[2]
        if _SQLITE_UPDATE_WHEN not in update:
            raise RuntimeError("the update trigger changed: adapt subject_index_deferred")
        cursor.execute("DROP TRIGGER IF EXISTS portal_subject_index_insert")
        cursor.execute("DROP TRIGGER IF EXISTS portal_subject_index_update")
        cursor.execute(
            update.replace(
                _SQLITE_UPDATE_WHEN, f"WHEN ({_SQLITE_UPDATE_WHEN[5:]}) AND OLD.id <= {last}"
            )
        )
    yield
    with connection.cursor() as cursor:
        for statement in _sqlite_index_subjects_after(last):
            cursor.execute(statement)
        cursor.execute("DROP TRIGGER IF EXISTS portal_subject_index_update")
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)
