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
TRAINING_SESSION_CREATE = declare(
    "training_session.create", label=_("安排信用修复培训"), object_type="rights.TrainingSession"
)
TRAINING_ENROL = declare(
    "training.enrol", label=_("信用修复培训报名"), object_type="rights.TrainingEnrolment"
)
TRAINING_MARK = declare(
    "training.mark", label=_("登记信用修复培训考勤"), object_type="rights.TrainingEnrolment"
)
