"""Completeness against the 权力清单 (工作要点: 双公示 "全覆盖、零遗漏"):
which of a department's licensing and penalty powers have decisions.

A decision belongs to a power when one of the power's terms (its keywords, by
default its name) appears in the record's matter fields: for a licence the
decision document's name, the certificate's name and the licence content; for
a penalty the type of violation, the basis and the content."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xinyong.oversight.indicators.registry import Tallies, Tally, indicator
from xinyong.oversight.models import Power
from xinyong.oversight.periods import Month
from xinyong.records.models import Record

ITEM_OF_KIND = {Power.Kind.LICENCE: "XZXK", Power.Kind.PENALTY: "XZCF"}
MATTER_FIELDS = {
    "XZXK": ("decision_doc_name", "certificate_name", "license_content", "license_category"),
    "XZCF": ("violation_type", "penalty_basis", "penalty_content", "penalty_category"),
}
# A power without a decision for this long is flagged (长期无决定).
IDLE_MONTHS = 12


@dataclass
class PowerUse:
    decisions: int = 0
    last_decided: dt.date | None = None


def power_uses(
    *, start: dt.date, end: dt.date, department_ids: list[int] | None = None
) -> dict[int, PowerUse]:
    """Per active power (by id): the decisions from `start` to `end` and the
    latest one. One pass over the departments' licence and penalty records of
    the span, reading only the matter fields (streamed)."""
    powers = Power.objects.filter(is_active=True)
    if department_ids is not None:
        powers = powers.filter(department_id__in=department_ids)
    by_department: dict[tuple[int, str], list[tuple[int, list[str]]]] = defaultdict(list)
    for power in powers:
        by_department[(power.department_id, ITEM_OF_KIND[Power.Kind(power.kind)])].append(
            (power.pk, power.terms())
        )
    uses: dict[int, PowerUse] = {
        pk: PowerUse() for group in by_department.values() for pk, _t in group
    }
    if not uses:
        return uses
    records = Record.objects.live().filter(
        department_id__in={d for d, _i in by_department},
        item__code__in=list(MATTER_FIELDS),
        decision_date__gte=start,
        decision_date__lte=end,
    )
    rows = records.values_list("department_id", "item__code", "decision_date", "data")
    for department_id, item_code, decided, data in rows.iterator(chunk_size=2000):
        group = by_department.get((department_id, item_code))
        if not group:
            continue
        text = " ".join(str(data.get(key) or "") for key in MATTER_FIELDS[item_code])
        for pk, terms in group:
            if any(term in text for term in terms):
                use = uses[pk]
                use.decisions += 1
                if decided is not None and (use.last_decided is None or decided > use.last_decided):
                    use.last_decided = decided
    return uses


def idle_since(month: Month) -> dt.date:
    """The first day of the span a power must show a decision in."""
    return month.back(IDLE_MONTHS)[0].start


@indicator(
    "power_coverage",
    label=_("权力清单覆盖率"),
    numerator=_("近12个月有决定的权力事项"),
    denominator=_("权力清单事项"),
    weight=10,
    basis=_("双公示全覆盖、零遗漏：权力清单中的许可和处罚事项均有公示"),
)
def power_coverage(month: Month, department_ids: list[int] | None) -> Tallies:
    """The department's active powers, and those with at least one decision in
    the 12 months ending with the month."""
    uses = power_uses(start=idle_since(month), end=month.end, department_ids=department_ids)
    department_of = dict(Power.objects.filter(pk__in=list(uses)).values_list("pk", "department_id"))
    tallies: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, use in uses.items():
        tally = tallies[department_of[pk]]
        tally[1] += 1
        tally[0] += use.decisions > 0
    return {pk: Tally(used, total) for pk, (used, total) in tallies.items()}
