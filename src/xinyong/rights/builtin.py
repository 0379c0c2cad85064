"""The shipped credit repair rule, put back after a `flush` (as the lists'
types and the disclosure rule sets are); migration 0004 keeps its own frozen
copy and loads it first. An existing rule is left as the credit office
edited it."""

from django.apps import AppConfig
from django.apps.registry import Apps

# The same rule as migration 0004 (which keeps its own frozen copy).
BUILTIN_REPAIR_RULE = {
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


def ensure_repair_rules(
    sender: AppConfig | None = None,
    *,
    apps: Apps | None = None,
    using: str = "default",
    **kwargs: object,
) -> None:
    """`post_migrate` receiver: create the shipped rule if it is missing."""
    from django.apps import apps as global_apps
    from django.db import connections

    apps = apps or global_apps
    try:
        RepairRule = apps.get_model("rights", "RepairRule")
    except LookupError:
        return
    if "rights_repairrule" not in connections[using].introspection.table_names():
        return
    if not RepairRule.objects.using(using).filter(code=BUILTIN_REPAIR_RULE["code"]).exists():
        RepairRule.objects.using(using).create(**BUILTIN_REPAIR_RULE)
