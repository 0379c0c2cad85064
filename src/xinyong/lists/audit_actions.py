"""Audit actions of `lists`: list types and each transition of a list entry."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

LIST_TYPE_CREATE = declare(
    "list_type.create", label=_("新增名单类型"), object_type="lists.ListType"
)
LIST_TYPE_UPDATE = declare(
    "list_type.update", label=_("修改名单类型"), object_type="lists.ListType"
)
# The admin refuses deletion (entries refer to a list type); declared for AuditedAdmin.
LIST_TYPE_DELETE = declare(
    "list_type.delete", label=_("删除名单类型"), object_type="lists.ListType"
)
LIST_ENTRY_PROPOSE = declare(
    "list_entry.propose", label=_("提出拟列入名单"), object_type="lists.ListEntry"
)
LIST_ENTRY_NOTIFY = declare(
    "list_entry.notify", label=_("送达列入名单事先告知书"), object_type="lists.ListEntry"
)
LIST_ENTRY_OBJECT = declare(
    "list_entry.object", label=_("登记陈述申辩/异议"), object_type="lists.ListEntry"
)
LIST_ENTRY_ANSWER = declare(
    "list_entry.answer_objection", label=_("答复异议"), object_type="lists.ListEntry"
)
LIST_ENTRY_WITHDRAW = declare(
    "list_entry.withdraw", label=_("撤回拟列入"), object_type="lists.ListEntry"
)
LIST_ENTRY_DECIDE = declare(
    "list_entry.decide", label=_("作出列入名单决定"), object_type="lists.ListEntry"
)
LIST_ENTRY_PUBLISH = declare(
    "list_entry.publish", label=_("在门户公示名单"), object_type="lists.ListEntry"
)
LIST_ENTRY_REMOVE_EARLY = declare(
    "list_entry.remove_early", label=_("提前移出名单"), object_type="lists.ListEntry"
)
LIST_ENTRY_REVOKE = declare(
    "list_entry.revoke", label=_("撤销列入决定"), object_type="lists.ListEntry"
)
LIST_ENTRY_CHALLENGE = declare(
    "list_entry.challenge",
    label=_("标记名单条目异议/信用修复处理状态"),
    object_type="lists.ListEntry",
)
# One row per run with its count (not one per entry).
LIST_ENTRY_EXPIRE = declare(
    "list_entry.expire", label=_("名单到期移出（每日任务）"), object_type="lists.daily"
)
LIST_ENTRY_SUSPEND = declare(
    "list_entry.suspend", label=_("异议处理中暂停公示名单条目"), object_type="lists.ListEntry"
)
LIST_ENTRY_RESUME = declare(
    "list_entry.resume", label=_("恢复公示名单条目"), object_type="lists.ListEntry"
)
# Entries received from the provincial or national platform (exchange app, issue 15).
LIST_ENTRY_RECEIVE = declare(
    "list_entry.receive", label=_("接收省级平台推送的名单"), object_type="lists.ListEntry"
)
LIST_ENTRY_RECEIVE_END = declare(
    "list_entry.receive_end", label=_("按省级平台推送移出名单"), object_type="lists.ListEntry"
)
