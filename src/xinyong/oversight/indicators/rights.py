"""Rights: objection deadlines kept by the department that verifies."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.periods import Month
from xinyong.rights.models import Objection


@indicator(
    "objection_on_time",
    label=_("异议核查及时率"),
    numerator=_("按期核查"),
    denominator=_("到期的异议核查"),
    weight=5,
    basis=_("征信业管理条例第二十五条；本平台异议处理期限"),
)
def objection_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """Objections routed to the department whose verification fell due in the
    month, and those it verified on or before the due day."""
    qs = Objection.objects.filter(verify_due__gte=month.start, verify_due__lte=month.end)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    kept = Q(verified_on__isnull=False, verified_on__lte=F("verify_due"))
    rows = qs.values("department_id").annotate(n=Count("id"), ok=Count("id", filter=kept))
    return {r["department_id"]: Tally(r["ok"], r["n"]) for r in rows}
