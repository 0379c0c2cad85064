"""Audit actions of `subjects`: conflicts and look-ups of persons."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

SUBJECT_CONFLICT_RESOLVE = declare(
    "subject_conflict.resolve", label=_("处理主体冲突"), object_type="subjects.SubjectConflict"
)
# 信息主体权益: every look-up of a person's (or an operator's) identity is logged.
SUBJECT_VIEW_PERSON = declare(
    "subject.view_person", label=_("查看自然人信息"), object_type="subjects.Subject"
)
# The clear resident ID decrypted (the credit office, or the exchange running as the system).
SUBJECT_REVEAL_ID = declare(
    "subject.reveal_id", label=_("解密查看证件号码"), object_type="subjects.Subject"
)
