"""The subject-name search index: FTS5 trigram + bigram table on SQLite,
pg_trgm GIN + bigram table on PostgreSQL (see `xinyong.portal.searchindex`)."""

from django.db import migrations

from xinyong.portal import searchindex


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("subjects", "0001_initial"),
    ]

    operations = [
        VendorRunSQL("sqlite", searchindex.SQLITE_CREATE, searchindex.SQLITE_DROP),
        VendorRunSQL("postgresql", searchindex.POSTGRES_CREATE, searchindex.POSTGRES_DROP),
    ]
