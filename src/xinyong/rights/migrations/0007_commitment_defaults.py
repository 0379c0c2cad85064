"""Shipped data of commitments: the default text of each type (the common
five-point commitment, `rights.commitment_texts`), and the built-in catalog
item 违背信用承诺 (WBXYCN), loaded here for databases created before it
existed and put under the disclosure rule sets of negative information
(令第36号, 527号) so that a breach record gets its disclosure window (一般:
3 months to 1 year)."""

from django.db import migrations

RULE_SETS = ("ndrc-2026", "ndrc-2019")


def load(apps, schema_editor):
    from xinyong.catalog.builtin import load_builtin

    load_builtin(apps)
    CatalogItem = apps.get_model("catalog", "CatalogItem")
    RuleSet = apps.get_model("records", "DisclosureRuleSet")
    item = CatalogItem.objects.filter(code="WBXYCN").first()
    if item is not None:
        for rule_set in RuleSet.objects.filter(code__in=RULE_SETS):
            rule_set.items.add(item)
    from xinyong.rights.commitment_texts import ensure_default_texts

    ensure_default_texts(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0006_commitments_training"),
        ("catalog", "0005_restricted_items"),
        ("records", "0010_publishing_batch"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
