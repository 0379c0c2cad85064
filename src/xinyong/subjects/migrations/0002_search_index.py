"""The subject-name search index moves from the portal app to this one: its
objects, created by migrations portal.0002–0004 (which run first), are
renamed `subjects_search_*`, data kept; on SQLite the row triggers are made
anew with the deferral table they read (`subjects_search_deferral`, see
`xinyong.core.db.sqlite`). The DDL is frozen here as this migration runs it;
the live definition is in `xinyong.core.db.sqlite` / `.postgresql`."""

from django.db import migrations

SQLITE_FORWARDS = [
    "DROP TRIGGER IF EXISTS portal_subject_index_insert",
    "DROP TRIGGER IF EXISTS portal_subject_index_delete",
    "DROP TRIGGER IF EXISTS portal_subject_index_update",
    "ALTER TABLE portal_subject_fts RENAME TO subjects_search_fts",
    "ALTER TABLE portal_subject_bigram RENAME TO subjects_search_bigram",
    "ALTER TABLE portal_seq RENAME TO subjects_search_seq",
    "CREATE TABLE subjects_search_deferral (last_id INTEGER NOT NULL)",
    """CREATE TRIGGER subjects_search_insert
AFTER INSERT ON subjects_subject
WHEN NEW.kind <> 'person' AND NOT EXISTS (SELECT 1 FROM subjects_search_deferral d WHERE NEW.id > d.last_id)
BEGIN
  INSERT INTO subjects_search_fts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
  INSERT OR IGNORE INTO subjects_search_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM subjects_search_seq
    WHERE i < length(NEW.name_key);
END""",
    """CREATE TRIGGER subjects_search_delete
AFTER DELETE ON subjects_subject
WHEN OLD.kind <> 'person' AND NOT EXISTS (SELECT 1 FROM subjects_search_deferral d WHERE OLD.id > d.last_id)
BEGIN
  INSERT INTO subjects_search_fts (subjects_search_fts, rowid, name_key)
    VALUES ('delete', OLD.id, OLD.name_key);
  DELETE FROM subjects_search_bigram
    WHERE subject_id = OLD.id AND bigram IN (SELECT substr(OLD.name_key, subjects_search_seq.i, 2) FROM subjects_search_seq WHERE subjects_search_seq.i < length(OLD.name_key));
END""",
    """CREATE TRIGGER subjects_search_update
AFTER UPDATE OF name_key, kind ON subjects_subject
WHEN (OLD.name_key IS NOT NEW.name_key OR OLD.kind IS NOT NEW.kind)
  AND NOT EXISTS (SELECT 1 FROM subjects_search_deferral d WHERE OLD.id > d.last_id)
BEGIN
  INSERT INTO subjects_search_fts (subjects_search_fts, rowid, name_key)
    SELECT 'delete', OLD.id, OLD.name_key WHERE OLD.kind <> 'person';
  DELETE FROM subjects_search_bigram
    WHERE OLD.kind <> 'person' AND subject_id = OLD.id AND bigram IN (SELECT substr(OLD.name_key, subjects_search_seq.i, 2) FROM subjects_search_seq WHERE subjects_search_seq.i < length(OLD.name_key));
  INSERT INTO subjects_search_fts (rowid, name_key)
    SELECT NEW.id, NEW.name_key WHERE NEW.kind <> 'person';
  INSERT OR IGNORE INTO subjects_search_bigram (bigram, subject_id)
    SELECT substr(NEW.name_key, i, 2), NEW.id FROM subjects_search_seq
    WHERE NEW.kind <> 'person' AND i < length(NEW.name_key);
END""",
]

SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS subjects_search_insert",
    "DROP TRIGGER IF EXISTS subjects_search_delete",
    "DROP TRIGGER IF EXISTS subjects_search_update",
    "DROP TABLE subjects_search_deferral",
    "ALTER TABLE subjects_search_seq RENAME TO portal_seq",
    "ALTER TABLE subjects_search_bigram RENAME TO portal_subject_bigram",
    "ALTER TABLE subjects_search_fts RENAME TO portal_subject_fts",
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

POSTGRES_FORWARDS = [
    "DROP TRIGGER IF EXISTS portal_subject_index_insert ON subjects_subject",
    "DROP TRIGGER IF EXISTS portal_subject_index_delete ON subjects_subject",
    "DROP TRIGGER IF EXISTS portal_subject_index_update ON subjects_subject",
    "DROP TRIGGER IF EXISTS portal_subject_index_truncate ON subjects_subject",
    "DROP FUNCTION IF EXISTS portal_subject_index_insert()",
    "DROP FUNCTION IF EXISTS portal_subject_index_delete()",
    "DROP FUNCTION IF EXISTS portal_subject_index_update()",
    "DROP FUNCTION IF EXISTS portal_subject_index_truncate()",
    "ALTER TABLE portal_subject_bigram RENAME TO subjects_search_bigram",
    "ALTER TABLE subjects_search_bigram RENAME CONSTRAINT portal_subject_bigram_pkey TO subjects_search_bigram_pkey",
    "ALTER INDEX portal_subject_name_trgm RENAME TO subjects_search_trgm",
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

POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS subjects_search_insert ON subjects_subject",
    "DROP TRIGGER IF EXISTS subjects_search_delete ON subjects_subject",
    "DROP TRIGGER IF EXISTS subjects_search_update ON subjects_subject",
    "DROP TRIGGER IF EXISTS subjects_search_truncate ON subjects_subject",
    "DROP FUNCTION IF EXISTS subjects_search_insert()",
    "DROP FUNCTION IF EXISTS subjects_search_delete()",
    "DROP FUNCTION IF EXISTS subjects_search_update()",
    "DROP FUNCTION IF EXISTS subjects_search_truncate()",
    "ALTER INDEX subjects_search_trgm RENAME TO portal_subject_name_trgm",
    "ALTER TABLE subjects_search_bigram RENAME CONSTRAINT subjects_search_bigram_pkey TO portal_subject_bigram_pkey",
    "ALTER TABLE subjects_search_bigram RENAME TO portal_subject_bigram",
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
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]
    # portal.0004 declares run_before this migration: the objects are there.

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRES_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRES_BACKWARDS}),
        ),
    ]
