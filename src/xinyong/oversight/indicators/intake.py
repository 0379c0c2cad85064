"""Intake and 双公示: submission timeliness (7-day rule), publication
timeliness (7 working days) and compliance (required fields complete and valid)."""

from typing import Any, TypeVar

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from xinyong.ingest.models import Batch
from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.periods import Month
from xinyong.records.models import Record

SHUANGGONGSHI_ITEMS = ("XZXK", "XZCF")


_QS = TypeVar("_QS", bound=QuerySet[Any])


def _scoped(qs: _QS, department_ids: list[int] | None) -> _QS:
    return qs if department_ids is None else qs.filter(department_id__in=department_ids)


@indicator(
    "intake_on_time",
    label=_("信息报送及时率"),
    numerator=_("按时报送"),
    denominator=_("报送记录"),
    weight=15,
    basis=_("神信用办〔2018〕1号 二.2：决定之日起7日内报送"),
)
def intake_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """Records received in the month (their submission date), and those of
    them not late: `Record.is_late` is the intake's verdict against the item's
    deadline (7 days from the decision unless the catalog says otherwise)."""
    qs = _scoped(
        Record.objects.live().filter(submitted_on__gte=month.start, submitted_on__lte=month.end),
        department_ids,
    )
    rows = qs.values("department_id").annotate(
        n=Count("id"), late=Count("id", filter=Q(is_late=True))
    )
    return {r["department_id"]: Tally(r["n"] - r["late"], r["n"]) for r in rows}


@indicator(
    "publication_on_time",
    label=_("双公示及时率"),
    numerator=_("按时公示"),
    denominator=_("公示记录"),
    weight=15,
    basis=_("发改办财金〔2018〕424号：决定之日起7个工作日内上网公开"),
)
def publication_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """Records first made public in the month, and those of them public on or
    before their `publish_due` (the decision date plus 7 working days on the
    official calendar, `core.workdays`); a record of an item without a
    publication deadline counts as on time."""
    qs = _scoped(
        Record.objects.live().filter(published_on__gte=month.start, published_on__lte=month.end),
        department_ids,
    )
    on_time = Q(publish_due__isnull=True) | Q(published_on__lte=F("publish_due"))
    rows = qs.values("department_id").annotate(n=Count("id"), ok=Count("id", filter=on_time))
    return {r["department_id"]: Tally(r["ok"], r["n"]) for r in rows}


@indicator(
    "publication_compliance",
    label=_("双公示合规率"),
    numerator=_("合规行数"),
    denominator=_("报送行数"),
    weight=10,
    basis=_("双公示数据标准：必填项完整、格式正确"),
)
def publication_compliance(month: Month, department_ids: list[int] | None) -> Tallies:
    """Rows of 双公示 received in the month's finished batches, and those
    complete and valid: accepted without a consistency warning (a rejected
    row lacked a required field or held an invalid value)."""
    start, end = month.aware_bounds()
    qs = _scoped(
        Batch.objects.filter(
            status=Batch.Status.DONE,
            item__code__in=SHUANGGONGSHI_ITEMS,
            created_at__gte=start,
            created_at__lt=end,
        ),
        department_ids,
    )
    rows = qs.values("department_id").annotate(
        received=Sum("received"), accepted=Sum("accepted"), warned=Sum("warned")
    )
    return {
        r["department_id"]: Tally(
            max(0, (r["accepted"] or 0) - (r["warned"] or 0)), r["received"] or 0
        )
        for r in rows
        if r["received"]
    }


@indicator(
    "withdrawal_on_time",
    label=_("撤回及时率"),
    numerator=_("按时撤回"),
    denominator=_("撤回的记录"),
    weight=5,
    basis=_("行政处罚法第四十八条：处罚决定被变更、撤销、确认违法或无效的，3个工作日内撤回公示"),
)
def withdrawal_on_time(month: Month, department_ids: list[int] | None) -> Tallies:
    """Records withdrawn in the month (`record.withdraw`), and those withdrawn
    within 3 working days of the decision that changed them
    (`Record.withdrawn_on_time`; a withdrawal without such a decision counts
    as on time)."""
    start, end = month.aware_bounds()
    qs = _scoped(
        Record.objects.filter(
            status=Record.Status.WITHDRAWN, withdrawn_at__gte=start, withdrawn_at__lt=end
        ),
        department_ids,
    )
    late = Q(withdrawn_on_time=False)
    rows = qs.values("department_id").annotate(n=Count("id"), late=Count("id", filter=late))
    return {r["department_id"]: Tally(r["n"] - r["late"], r["n"]) for r in rows}
