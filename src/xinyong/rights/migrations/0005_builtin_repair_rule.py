"""The shipped credit repair rule (frozen here; the credit office edits it in the admin)."""

from django.db import migrations

RULE = {
    "code": "general",
    "name": "失信信息信用修复（通用）",
    "basis": "《信用修复管理办法》（国家发展改革委令第36号，2026年4月1日起施行）；"
    "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）",
    "not_repairable_categories": ["责令停产停业", "责令关闭", "吊销许可证件", "限制从业"],
    "decider": "department",
    "requires_training": False,
    "decide_workdays": 10,
    "note": "不可修复的处罚类别按总局令第45号“不得提前停止公示”的情形预置，办理期限按一省实践"
    "（10个工作日）预置；均待信用办核实后调整。",
}


def load(apps, schema_editor):
    RepairRule = apps.get_model("rights", "RepairRule")
    if not RepairRule.objects.filter(code=RULE["code"]).exists():
        RepairRule.objects.create(**RULE)


class Migration(migrations.Migration):
    dependencies = [("rights", "0004_repair")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
