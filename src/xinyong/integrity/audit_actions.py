"""Audit actions of `integrity`: breach complaints, integrity files and checks."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

COMPLAINT_SUBMIT = declare(
    "gov_complaint.submit", label=_("提交政府违约失信投诉"), object_type="integrity.GovComplaint"
)
COMPLAINT_ACCEPT = declare(
    "gov_complaint.accept", label=_("受理政府违约失信投诉"), object_type="integrity.GovComplaint"
)
COMPLAINT_REJECT = declare(
    "gov_complaint.reject",
    label=_("不予受理政府违约失信投诉"),
    object_type="integrity.GovComplaint",
)
COMPLAINT_CLOSE = declare(
    "gov_complaint.close", label=_("办结政府违约失信投诉"), object_type="integrity.GovComplaint"
)
COMPLAINT_VIEW = declare(
    "gov_complaint.view", label=_("查阅政府违约失信投诉"), object_type="integrity.GovComplaint"
)
# One row per view of a person's integrity file, naming the records shown.
INTEGRITY_FILE_VIEW = declare(
    "integrity_file.view", label=_("查阅个人诚信档案"), object_type="subjects.Subject"
)
INTEGRITY_CHECK = declare(
    "integrity.check", label=_("录用任用、评优表彰诚信核查"), object_type="sanctions.Check"
)
