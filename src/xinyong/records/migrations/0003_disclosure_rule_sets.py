"""Load the shipped disclosure rule sets (ndrc-2026, ndrc-2019, samr-45) from
`records/data/disclosure_rules.json`. Idempotent: a set that exists is left
as the credit office edited it."""

from django.db import migrations


def load(apps, schema_editor):
    from xinyong.records.disclosure import load_builtin_rule_sets

    load_builtin_rule_sets(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_builtin_items"),
        ("records", "0002_disclosure"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
