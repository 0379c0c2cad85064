"""PostgreSQL: the bigram trigger of new subjects inserts without ON CONFLICT
(the rows of new subjects cannot have bigrams yet)."""

from django.db import migrations

FUNCTION = """CREATE OR REPLACE FUNCTION portal_subject_index_insert()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO portal_subject_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n, generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE n.kind <> 'person';
  RETURN NULL;
END $$"""

PREVIOUS = """CREATE OR REPLACE FUNCTION portal_subject_index_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO portal_subject_bigram (bigram, subject_id)
  SELECT DISTINCT substr(n.name_key, i, 2), n.id
  FROM new_rows n, generate_series(1, char_length(n.name_key) - 1) AS i
  WHERE n.kind <> 'person'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_subject_search_index")]

    operations = [
        migrations.RunPython(_run({"postgresql": [FUNCTION]}), _run({"postgresql": [PREVIOUS]})),
    ]
