"""Load the built-in items of 政务诚信 (ZWSX_*) and 个人诚信 (GRCX_*, GWY_CXDA)
from `integrity/data/builtin_items.json` with the catalog's loader. Idempotent."""

from django.db import migrations


def load(apps, schema_editor):
    from xinyong.integrity.builtin import load as load_items

    load_items(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0001_initial"),
        ("catalog", "0005_restricted_items"),
        ("core", "0002_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
