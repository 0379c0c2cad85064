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
# The registry of credit service agencies (备案) and its changes of status.
AGENCY_REGISTER = declare(
    "report_agency.register", label=_("信用服务机构备案登记"), object_type="reports.Agency"
)
AGENCY_SUSPEND = declare(
    "report_agency.suspend", label=_("暂停信用服务机构备案"), object_type="reports.Agency"
)
AGENCY_REVOKE = declare(
    "report_agency.revoke", label=_("注销信用服务机构备案"), object_type="reports.Agency"
)
AGENCY_RESTORE = declare(
    "report_agency.restore", label=_("恢复信用服务机构备案"), object_type="reports.Agency"
)
# Credit reports issued by agencies and filed with the credit office (信用报告备案).
AGENCY_REPORT_SUBMIT = declare(
    "agency_report.submit", label=_("提交信用报告备案"), object_type="reports.AgencyReport"
)
AGENCY_REPORT_FILE = declare(
    "agency_report.file", label=_("信用报告予以备案"), object_type="reports.AgencyReport"
)
AGENCY_REPORT_RETURN = declare(
    "agency_report.return", label=_("退回信用报告备案"), object_type="reports.AgencyReport"
)
AGENCY_REPORT_REVOKE = declare(
    "agency_report.revoke", label=_("撤销信用报告备案"), object_type="reports.AgencyReport"
)
# The filed PDF is not public: each read of it is a look-up.
AGENCY_REPORT_DOWNLOAD = declare(
    "agency_report.download", label=_("查看备案信用报告文件"), object_type="reports.AgencyReport"
)
