"""PostgreSQL: drop `portal_subject_name_prefix`, the same index as Django's
`subjects_subject_name_key_…_like` (name_key varchar_pattern_ops): every new
subject paid for both, and searches by prefix use either."""

from django.db import migrations


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_bigram_insert_without_on_conflict")]
    # The search index moves to the subjects app from where this leaves it.
    run_before = [("subjects", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": ["DROP INDEX IF EXISTS portal_subject_name_prefix"]}),
            _run(
                {
                    "postgresql": [
                        "CREATE INDEX IF NOT EXISTS portal_subject_name_prefix "
                        "ON subjects_subject (name_key varchar_pattern_ops)"
                    ]
                }
            ),
        ),
    ]
