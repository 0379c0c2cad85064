"""Load the shipped list types (`lists/data/builtin_list_types.json`).
Idempotent: only missing list types are created (see `lists.builtin`)."""

from django.db import migrations


def load(apps, schema_editor):
    from xinyong.lists.builtin import load_builtin

    load_builtin(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("lists", "0001_list_types_and_entries"),
        ("catalog", "0003_builtin_upgrades"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
