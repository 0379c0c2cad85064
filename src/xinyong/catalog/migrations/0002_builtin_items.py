"""Load the built-in catalog: code lists, 行政许可 (XZXK), 行政处罚 (XZCF) and
the district items, from `catalog/data/builtin_items.json`. Idempotent; the
same loader backs `xinyong catalog load-builtin`."""

from django.db import migrations


def load(apps, schema_editor):
    from xinyong.catalog.builtin import load_builtin

    load_builtin(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("core", "0002_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
