"""Audit actions of `oversight`: the scheme's versions, the 权力清单 import,
the monthly 通报 and its publication."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

SCHEME_REVISE = declare(
    "assessment_scheme.revise", label=_("修订考核方案"), object_type="oversight.AssessmentScheme"
)
POWERS_IMPORT = declare("power_list.import", label=_("导入权力清单"), object_type="orgs.Department")
REPORT_GENERATE = declare(
    "monthly_report.generate", label=_("生成月度通报"), object_type="oversight.MonthlyReport"
)
REPORT_PUBLISH = declare(
    "monthly_report.publish", label=_("在门户公开月度通报"), object_type="oversight.MonthlyReport"
)
REPORT_UNPUBLISH = declare(
    "monthly_report.unpublish",
    label=_("撤下门户上的月度通报"),
    object_type="oversight.MonthlyReport",
)
