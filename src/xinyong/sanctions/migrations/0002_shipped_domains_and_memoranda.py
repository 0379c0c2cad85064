"""Load the shipped action domains (XZXK … RCJG) and memoranda (发改财金〔2016〕141号,
〔2016〕2798号, 〔2016〕1467号, 〔2017〕2058号) from `sanctions/data/memoranda.json`.
Idempotent: what exists is left as the credit office edited it."""

from django.db import migrations


def load(apps, schema_editor):
    from xinyong.sanctions.builtin import load_builtin

    load_builtin(apps)


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0001_checks_feedback_cases")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
