"""Audit actions of `rights`: each transition of an objection."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

OBJECTION_SUBMIT = declare(
    "objection.submit", label=_("提交异议申请"), object_type="rights.Objection"
)
OBJECTION_ACCEPT = declare("objection.accept", label=_("受理异议"), object_type="rights.Objection")
OBJECTION_REFUSE = declare(
    "objection.refuse", label=_("不予受理异议"), object_type="rights.Objection"
)
OBJECTION_REQUEST_MORE = declare(
    "objection.request_more", label=_("要求补正异议材料"), object_type="rights.Objection"
)
OBJECTION_ROUTE = declare(
    "objection.route", label=_("转交提供部门核查"), object_type="rights.Objection"
)
OBJECTION_VERIFY = declare(
    "objection.verify", label=_("异议核查结论"), object_type="rights.Objection"
)
OBJECTION_CLOSE = declare(
    "objection.close", label=_("异议办结答复"), object_type="rights.Objection"
)
OBJECTION_ATTACHMENT_VIEW = declare(
    "objection_attachment.view",
    label=_("查看异议证明材料"),
    object_type="rights.ObjectionAttachment",
)
# 知情 (issue 14 §7): who let whom see a subject's file, and each look at it.
DISCLOSURE_COUNTER_VERIFY = declare(
    "disclosure.counter_verify",
    label=_("窗口核验信息主体身份"),
    object_type="rights.DisclosureAccess",
)
DISCLOSURE_CODE_ISSUE = declare(
    "disclosure.code_issue", label=_("签发授权查询码"), object_type="rights.DisclosureAccess"
)
DISCLOSURE_CODE_REVOKE = declare(
    "disclosure.code_revoke", label=_("作废授权查询码"), object_type="rights.DisclosureAccess"
)
DISCLOSURE_CODE_USE = declare(
    "disclosure.code_use", label=_("凭授权查询码查询"), object_type="rights.DisclosureAccess"
)
DISCLOSURE_CODE_REFUSE = declare(
    "disclosure.code_refuse", label=_("授权查询码核验未通过"), object_type="rights.disclosure"
)
DISCLOSURE_VIEW = declare(
    "disclosure.view", label=_("查看信息主体信用档案"), object_type="rights.DisclosureAccess"
)
OBJECTION_ESCALATE = declare(
    "objection.escalate", label=_("逾期异议上报信用办"), object_type="rights.Objection"
)
REPAIR_SUBMIT = declare("repair.submit", label=_("提交信用修复申请"), object_type="rights.Repair")
REPAIR_ACCEPT = declare("repair.accept", label=_("受理信用修复申请"), object_type="rights.Repair")
REPAIR_REFUSE = declare(
    "repair.refuse", label=_("不予受理信用修复申请"), object_type="rights.Repair"
)
REPAIR_APPROVE = declare("repair.approve", label=_("准予信用修复"), object_type="rights.Repair")
REPAIR_REJECT = declare("repair.reject", label=_("不予信用修复"), object_type="rights.Repair")
REPAIR_ATTACHMENT_VIEW = declare(
    "repair_attachment.view",
    label=_("查看信用修复证明材料"),
    object_type="rights.RepairAttachment",
)

# Commitments and repair training (issue 14 §5–6).
COMMITMENT_TEXT_PUBLISH = declare(
    "commitment_text.publish", label=_("发布信用承诺书文本"), object_type="rights.CommitmentText"
)
COMMITMENT_SIGN = declare(
    "commitment.sign", label=_("登记信用承诺"), object_type="rights.Commitment"
)
COMMITMENT_FULFIL = declare(
    "commitment.fulfil", label=_("认定已履行信用承诺"), object_type="rights.Commitment"
)
COMMITMENT_BREACH = declare(
    "commitment.breach", label=_("认定违背信用承诺"), object_type="rights.Commitment"
)
COMMITMENT_UPLOAD = declare(
    "commitment_upload.process",
    label=_("上传已签署的信用承诺"),
    object_type="rights.CommitmentUpload",
)
COMMITMENT_UPLOAD_SUBMIT = declare(
    "commitment_upload.submit",
    label=_("提交信用承诺文件（排队处理）"),
    object_type="rights.CommitmentUpload",
)
COMMITMENT_UPLOAD_FAIL = declare(
    "commitment_upload.fail",
    label=_("信用承诺文件处理失败"),
    object_type="rights.CommitmentUpload",
)
TRAINING_SESSION_CREATE = declare(
    "training_session.create", label=_("安排信用修复培训"), object_type="rights.TrainingSession"
)
TRAINING_ENROL = declare(
    "training.enrol", label=_("信用修复培训报名"), object_type="rights.TrainingEnrolment"
)
TRAINING_MARK = declare(
    "training.mark", label=_("登记信用修复培训考勤"), object_type="rights.TrainingEnrolment"
)
