"""Audit actions of `sanctions`: checks, feedback, cases."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

# Every check is a look-up of list and record data (of persons too): one row each,
# one per bulk file.
CHECK_RUN = declare("check.run", label=_("联合奖惩核查"), object_type="sanctions.Check")
# A department's system reads a stored answer back (it may concern a person).
CHECK_VIEW = declare("check.view", label=_("查看核查结果"), object_type="sanctions.Check")
CHECK_BATCH_SUBMIT = declare(
    "check_batch.submit", label=_("上传批量核查名单"), object_type="sanctions.CheckBatch"
)
CHECK_BATCH_FAIL = declare(
    "check_batch.fail", label=_("批量核查失败"), object_type="sanctions.CheckBatch"
)
CHECK_BULK = declare(
    "check_batch.run", label=_("联合奖惩批量核查"), object_type="sanctions.CheckBatch"
)
FEEDBACK_SUBMIT = declare(
    "feedback.submit", label=_("反馈措施落实情况"), object_type="sanctions.Feedback"
)
CASE_CREATE = declare("case.create", label=_("撰写联合奖惩案例"), object_type="sanctions.Case")
CASE_SUBMIT = declare("case.submit", label=_("提交案例审核"), object_type="sanctions.Case")
CASE_RETURN = declare("case.return", label=_("退回案例"), object_type="sanctions.Case")
CASE_PUBLISH = declare("case.publish", label=_("发布典型案例"), object_type="sanctions.Case")
# The credit office edits domains, memoranda and measures in the admin.
REFERENCE_CHANGE = declare(
    "sanctions_reference.change",
    label=_("修改联合奖惩参考数据（领域、备忘录、措施）"),
    object_type="sanctions.reference",
)
CASE_RETAG = declare("case.retag", label=_("修改典型案例标签"), object_type="sanctions.Case")
