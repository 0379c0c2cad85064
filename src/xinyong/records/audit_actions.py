"""Audit actions of `records`: withdrawals, disclosure rule sets, the daily job."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

RECORD_WITHDRAW = declare("record.withdraw", label=_("撤回记录"), object_type="records.Record")
DISCLOSURE_RULE_SET_CREATE = declare(
    "disclosure_rule_set.create",
    label=_("新增公示期限规则"),
    object_type="records.DisclosureRuleSet",
)
DISCLOSURE_RULE_SET_UPDATE = declare(
    "disclosure_rule_set.update",
    label=_("修改公示期限规则"),
    object_type="records.DisclosureRuleSet",
)
# One row per run with its counts (not one per record). Named "records.daily" before issue 11.
DISCLOSURE_DAILY = declare(
    "disclosure.daily", label=_("每日公示任务（发布到期、结束届满）"), object_type="records.daily"
)
# The purge (遗忘, issue 14 §7): one row per chunk with its counts, no personal data.
RECORD_PURGE = declare(
    "record.purge", label=_("删除超过保存期限的失信信息"), object_type="records.purge"
)
RETENTION_RULE_SAVE = declare(
    "retention_rule.save", label=_("设置失信信息保存期限"), object_type="records.RetentionRule"
)
RECORD_CORRECT = declare("record.correct", label=_("更正记录"), object_type="records.Record")
RECORD_END_FOR_REPAIR = declare(
    "record.end_for_repair", label=_("信用修复终止公示"), object_type="records.Record"
)
# Every read of a record of a restricted item (公务员诚信档案, 个人诚信): who read which.
RECORD_VIEW_RESTRICTED = declare(
    "record.view_restricted", label=_("查阅限制查阅的记录"), object_type="records.Record"
)
