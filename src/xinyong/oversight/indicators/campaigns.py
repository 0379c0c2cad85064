"""专项治理: 整改率 and 退出率 of the campaigns a department leads, as they
stood at the end of the month, against the plan's 100%."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.models import CampaignTarget
from xinyong.oversight.periods import Month


def _tally(month: Month, department_ids: list[int] | None, done: Q) -> Tallies:
    """Targets of campaigns under way by the month's end (added by then), and
    of them those `done` by then, per lead department."""
    qs = CampaignTarget.objects.filter(added_on__lte=month.end, campaign__starts_on__lte=month.end)
    if department_ids is not None:
        qs = qs.filter(campaign__lead_department_id__in=department_ids)
    rows = qs.values("campaign__lead_department_id").annotate(
        n=Count("id"), ok=Count("id", filter=done)
    )
    return {r["campaign__lead_department_id"]: Tally(r["ok"], r["n"]) for r in rows}


# Weight 0 in the shipped scheme: shown in the monthly figures; the credit
# office gives them points by revising the scheme.
@indicator(
    "campaign_rectified",
    label=_("专项治理整改率"),
    numerator=_("已整改对象"),
    denominator=_("专项治理对象"),
    weight=0,
    basis=_("社会信用体系建设工作要点：专项治理整改率 100%"),
    cumulative=True,
)
def campaign_rectified(month: Month, department_ids: list[int] | None) -> Tallies:
    done = Q(rectification=CampaignTarget.Rectification.DONE, rectification_on__lte=month.end)
    return _tally(month, department_ids, done)


@indicator(
    "campaign_exited",
    label=_("专项治理退出率"),
    numerator=_("已退出对象"),
    denominator=_("专项治理对象"),
    weight=0,
    basis=_("社会信用体系建设工作要点：专项治理退出率 100%"),
    cumulative=True,
)
def campaign_exited(month: Month, department_ids: list[int] | None) -> Tallies:
    done = Q(exit=CampaignTarget.Exit.EXITED, exited_on__lte=month.end)
    return _tally(month, department_ids, done)
