"""The subject-name search index: FTS5 trigram + bigram table on SQLite,
pg_trgm GIN + bigram table on PostgreSQL (see `xinyong.portal.searchindex`)."""

from django.db import migrations

from xinyong.portal import searchindex
from xinyong.portal.migrations._vendor import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("subjects", "0001_initial"),
    ]

    operations = [
        VendorRunSQL("sqlite", searchindex.SQLITE_CREATE, searchindex.SQLITE_DROP),
        VendorRunSQL("postgresql", searchindex.POSTGRES_CREATE, searchindex.POSTGRES_DROP),
    ]
