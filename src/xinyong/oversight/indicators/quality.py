"""Subject code quality: wrong and duplicate codes (工作要点 二.5: 重错码率 < 1%)."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from xinyong.ingest.models import Batch
from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.periods import Month
from xinyong.subjects.selectors import quality_by_department

CODE_RATE_TARGET = 0.01


@indicator(
    "wrong_code_rate",
    label=_("错码率"),
    numerator=_("代码错误行"),
    denominator=_("含代码的行"),
    higher_is_better=False,
    weight=10,
    target=CODE_RATE_TARGET,
    basis=_("神信用办〔2018〕1号 二.5：重错码率低于1%"),
)
def wrong_code_rate(month: Month, department_ids: list[int] | None) -> Tallies:
    """Rows of the month's finished batches that named a subject by a code,
    and those rejected because the code was wrong."""
    start, end = month.aware_bounds()
    qs = Batch.objects.filter(status=Batch.Status.DONE, created_at__gte=start, created_at__lt=end)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    rows = qs.values("department_id").annotate(wrong=Sum("wrong_codes"), total=Sum("coded_rows"))
    return {r["department_id"]: Tally(r["wrong"] or 0, r["total"] or 0) for r in rows if r["total"]}


@indicator(
    "duplicate_code_rate",
    label=_("重码率"),
    numerator=_("涉及未决冲突的主体"),
    denominator=_("有代码的主体"),
    higher_is_better=False,
    weight=5,
    target=CODE_RATE_TARGET,
    basis=_("神信用办〔2018〕1号 二.5：重错码率低于1%"),
)
def duplicate_code_rate(month: Month, department_ids: list[int] | None) -> Tallies:
    """The subjects registry's figure (`subjects.selectors.quality_by_department`):
    coded subjects the department submitted since the month began that are
    caught in an open code or name conflict its own rows raised. Conflicts are
    a state, not an event: a past month reads today's open conflicts."""
    rows = quality_by_department(since=month.start, department_ids=department_ids)
    return {
        r["department_id"]: Tally(r["duplicate_code_subjects"], r["subjects_with_code"])
        for r in rows
        if r["subjects_with_code"]
    }
