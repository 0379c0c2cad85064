"""PostgreSQL: the bigram trigger of new subjects inserts without ON CONFLICT
(see `searchindex.POSTGRES_INSERT_FUNCTION`)."""

from django.db import migrations

from xinyong.portal import searchindex
from xinyong.portal.migrations import _vendor

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


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_subject_search_index")]

    operations = [
        _vendor.VendorRunSQL(
            "postgresql", searchindex.POSTGRES_INSERT_FUNCTION, PREVIOUS
        ),
    ]
