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
CAMPAIGN_CREATE = declare(
    "campaign.create", label=_("创建专项治理"), object_type="oversight.Campaign"
)
CAMPAIGN_TARGET_ADD = declare(
    "campaign.target_add", label=_("列入专项治理对象"), object_type="oversight.CampaignTarget"
)
CAMPAIGN_TARGETS_UPLOAD = declare(
    "campaign.targets_upload", label=_("导入专项治理对象"), object_type="oversight.Campaign"
)
CAMPAIGN_TARGET_COMMITMENT = declare(
    "campaign.target_commitment",
    label=_("登记专项治理对象的信用承诺"),
    object_type="oversight.CampaignTarget",
)
CAMPAIGN_TARGET_RECTIFY = declare(
    "campaign.target_rectify",
    label=_("登记专项治理对象的整改情况"),
    object_type="oversight.CampaignTarget",
)
CAMPAIGN_TARGET_EXIT = declare(
    "campaign.target_exit", label=_("专项治理对象退出"), object_type="oversight.CampaignTarget"
)
FIGURES_PUBLISH = declare(
    "monthly_figures.publish",
    label=_("在门户公开月度数据"),
    object_type="oversight.FiguresRelease",
)
FIGURES_UNPUBLISH = declare(
    "monthly_figures.unpublish",
    label=_("撤下门户上的月度数据"),
    object_type="oversight.FiguresRelease",
)
