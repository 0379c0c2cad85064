"""PostgreSQL: drop `portal_subject_name_prefix`, the same index as Django's
`subjects_subject_name_key_…_like` (name_key varchar_pattern_ops): every new
subject paid for both, and searches by prefix use either."""

from django.db import migrations

from xinyong.portal.migrations import _vendor


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_bigram_insert_without_on_conflict")]

    operations = [
        _vendor.VendorRunSQL(
            "postgresql",
            "DROP INDEX IF EXISTS portal_subject_name_prefix",
            "CREATE INDEX IF NOT EXISTS portal_subject_name_prefix ON subjects_subject "
            "(name_key varchar_pattern_ops)",
        ),
    ]
