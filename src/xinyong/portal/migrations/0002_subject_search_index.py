"""The subject-name search index: FTS5 trigram + bigram table on SQLite,
pg_trgm GIN + bigram table on PostgreSQL. Moved to the `subjects` app by
migration `subjects.0002`, which renames these objects; the DDL is frozen
here as this migration ran it."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE TABLE portal_seq (i INTEGER PRIMARY KEY)",
    """INSERT INTO portal_seq (i)
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200)
SELECT i FROM s""",
    "CREATE VIRTUAL TABLE portal_subject_fts USING fts5(name_key, content='', tokenize='trigram')",
    """CREATE TABLE portal_subject_bigram (
  bigram TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  PRIMARY KEY (bigram, subject_id)
) WITHOUT ROWID""",
    """INSERT INTO portal_subject_fts (rowid, name_key)
SELECT id, name_key FROM subjects_subject WHERE id > 0 AND kind <> 'person'""",
    """INSERT OR IGNORE INTO portal_subject_bigram (bigram, subject_id)
SELECT substr(s.name_key, q.i, 2), s.id FROM subjects_subject s
JOIN portal_seq q ON q.i < length(s.name_key)
WHERE s.id > 0 AND s.kind <> 'person' ORDER BY 1, 2""",
    """CREATE TRIGGER IF NOT EXISTS portal_subject_index_insert
AFTER INSERT ON subjects_subject WHEN NEW.kind <> 'person'
BEGIN
  INSERT INTO portal_subject_fts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
  INSERT OR IGNORE INTO portal_subject_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM portal_seq WHERE i < length(NEW.name_key);
END""",
    """CREATE TRIGGER IF NOT EXISTS portal_subject_index_delete
AFTER DELETE ON subjects_subject WHEN OLD.kind <> 'person'
BEGIN
  INSERT INTO portal_subject_fts (portal_subject_fts, rowid, name_key)
    VALUES ('delete', OLD.id, OLD.name_key);
  DELETE FROM portal_subject_bigram
    WHERE subject_id = OLD.id AND bigram IN (SELECT substr(OLD.name_key, portal_seq.i, 2) FROM portal_seq WHERE portal_seq.i < length(OLD.name_key));
END""",
    """CREATE TRIGGER IF NOT EXISTS portal_subject_index_update
AFTER UPDATE OF name_key, kind ON subjects_subject
WHEN OLD.name_key IS NOT NEW.name_key OR OLD.kind IS NOT NEW.kind
BEGIN
  INSERT INTO portal_subject_fts (portal_subject_fts, rowid, name_key)
    SELECT 'delete', OLD.id, OLD.name_key WHERE OLD.kind <> 'person';
  DELETE FROM portal_subject_bigram
    WHERE OLD.kind <> 'person' AND subject_id = OLD.id
      AND bigram IN (SELECT substr(OLD.name_key, portal_seq.i, 2) FROM portal_seq WHERE portal_seq.i < length(OLD.name_key));
  INSERT INTO portal_subject_fts (rowid, name_key)
    SELECT NEW.id, NEW.name_key WHERE NEW.kind <> 'person';
  INSERT OR IGNORE INTO portal_subject_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM portal_seq
    WHERE NEW.kind <> 'person' AND i < length(NEW.name_key);
END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS portal_subject_index_insert",
    "DROP TRIGGER IF EXISTS portal_subject_index_delete",
    "DROP TRIGGER IF EXISTS portal_subject_index_update",
    "DROP TABLE IF EXISTS portal_subject_bigram",
    "DROP TABLE IF EXISTS portal_subject_fts",
    "DROP TABLE IF EXISTS portal_seq",
]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX portal_subject_name_trgm ON subjects_subject
USING gin (name_key gin_trgm_ops) WHERE kind <> 'person'""",
    """CREATE TABLE portal_subject_bigram (
  bigram varchar(2) NOT NULL,
  subject_id bigint NOT NULL,
  PRIMARY KEY (bigram, subject_id)
)""",
    """CREATE OR REPLACE FUNCTION portal_subject_index_insert()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO portal_subject_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n, generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE n.kind <> 'person';
  RETURN NULL;
END $$""",
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
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("subjects", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
