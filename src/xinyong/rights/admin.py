"""The credit office's reference data of `rights`: the credit repair rules.
Objections and repair applications change only through their services (the
staff pages under /staff/rights/); the objection deadlines are settings
(`XINYONG_OBJECTION_*_WORKDAYS`)."""

from django.contrib import admin

from xinyong.rights.models import RepairRule


@admin.register(RepairRule)
class RepairRuleAdmin(admin.ModelAdmin[RepairRule]):
    list_display = ["code", "name", "item", "decider", "requires_training", "decide_workdays"]
    list_filter = ["decider", "requires_training", "is_active"]
