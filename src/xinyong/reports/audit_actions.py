"""Audit actions of `reports`: every report asked for, issued, read; every refusal of a
natural person's report."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

REPORT_REQUEST = declare("report.request", label=_("申请信用报告"), object_type="reports.Report")
REPORT_ISSUE = declare("report.issue", label=_("出具信用报告"), object_type="reports.Report")
REPORT_FAIL = declare("report.fail", label=_("信用报告生成失败"), object_type="reports.Report")
# A report holds non-public data of a person: each read of one is a look-up.
REPORT_DOWNLOAD = declare("report.download", label=_("下载信用报告"), object_type="reports.Report")
# A natural person's report refused (not the person at the counter, nor authorised staff).
PERSON_REPORT_REFUSE = declare(
    "person_report.refuse", label=_("拒绝出具自然人信用报告"), object_type="subjects.Subject"
)
# The credit office registers or changes a credit service agency in the admin.
AGENCY_CHANGE = declare(
    "report_agency.change", label=_("登记或修改信用服务机构"), object_type="reports.Agency"
)
