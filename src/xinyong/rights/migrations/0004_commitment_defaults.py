"""Shipped data of commitments: the default text of each type (the common
five-point commitment), and the built-in catalog item 违背信用承诺 (WBXYCN),
loaded here for databases created before it existed and put under the
disclosure rule sets of negative information (令第36号, 527号) so that a
breach record gets its disclosure window (一般: 3 months to 1 year)."""

import datetime as dt

from django.db import migrations

# Frozen here (a later edit of the texts is a new version made by the credit office).
FIVE_POINTS = (
    "一、严格遵守国家法律、法规、规章和政策规定，依法依规开展生产经营和相关活动，自觉履行法定义务。\n"
    "二、保证所提交的申请材料和所作说明真实、准确、完整、合法、有效，不存在隐瞒有关情况或者提供虚假材料的行为。\n"
    "三、自觉接受行政机关、行业组织、社会公众和新闻舆论的监督，积极配合有关部门依法开展的监督管理工作。\n"
    "四、{fourth}\n"
    "五、自觉接受有关部门依法开展的核查和检查。如违背上述承诺，愿意承担相应的法律责任，"
    "接受有关部门依法依规实施的失信惩戒，并同意将违诺情况记入信用记录、依法向社会公开。"
)
INTROS = {
    "approval": ("信用承诺书（审批替代型）", "本单位（本人）申请办理有关事项，现就以告知承诺代替证明材料郑重承诺如下："),
    "tolerance": ("信用承诺书（容缺受理型）", "本单位（本人）申请容缺受理有关事项，承诺在约定期限内补齐所缺材料，并郑重承诺如下："),
    "voluntary": ("信用承诺书（主动型）", "本单位（本人）自愿向社会作出公开信用承诺，郑重承诺如下："),
    "repair": ("信用修复承诺书", "本单位（本人）已纠正失信行为、履行相关义务，现申请信用修复，郑重承诺如下："),
    "industry": ("信用承诺书（行业自律型）", "本单位（本人）自觉遵守行业自律公约和行业规范，郑重承诺如下："),
}
# Point four: a subject asking for repair is on record; it promises not to repeat.
FOURTH = {
    "*": "本单位（本人）不存在被列入严重失信主体名单等严重失信记录的情形。",
    "repair": "本单位（本人）已消除失信行为的不良影响，今后不再发生同类失信行为。",
}
DEFAULT_TEXTS = {
    type_: (title, intro + "\n" + FIVE_POINTS.format(fourth=FOURTH.get(type_, FOURTH["*"]))
            + "\n特此承诺。\n\n承诺人（签章）：\n日期：")
    for type_, (title, intro) in INTROS.items()
}

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
    Text = apps.get_model("rights", "CommitmentText")
    now = dt.datetime.now(dt.UTC)
    for type_, (title, body) in DEFAULT_TEXTS.items():
        if not Text.objects.filter(type=type_).exists():
            Text.objects.create(
                type=type_,
                version=1,
                title=title,
                body=body,
                effective_from=dt.date(2019, 1, 1),
                note="内置默认文本（通用五项承诺）",
                created_at=now,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0003_commitments_training"),
        ("catalog", "0004_change_requests"),
        ("records", "0010_publishing_batch"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
