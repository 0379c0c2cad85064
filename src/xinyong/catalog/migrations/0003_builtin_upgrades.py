"""Apply the built-in catalog's `upgrades` to existing databases: 行政处罚
(XZCF) gets the optional field 失信程度 (credit_tier) in a new version; version
1 is left as it was. Idempotent (see `catalog.builtin`)."""

from django.db import migrations


def load(apps, schema_editor):
    from xinyong.catalog.builtin import load_builtin

    load_builtin(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_builtin_items"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
