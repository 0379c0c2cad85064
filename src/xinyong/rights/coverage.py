"""The plan's two figures on commitments and training (issue 14 §5–6), for
the credit office's home panel. Each is counted in SQL (two `IN (subquery)`
terms on the subject table), whatever the number of subjects.

**Commitment ratio** (the plan: at least 30%): blacklisted subjects that
signed a 信用修复型 commitment ÷ all blacklisted subjects, on a day D.
- Blacklisted on D: an entry in force on D of an active 黑名单 list type
  decided here (`ListEntry.objects.in_force`), or an active record of a
  catalog item that feeds an active 黑名单 list type (e.g. 失信被执行人),
  decided by D and inside its disclosure window on D (as `lists.selectors.
  entries_in_force` reads them).
- Signed: a 信用修复型 commitment signed by D and not found breached.

**Training coverage** (the plan: 100%): subjects who needed repair training
and attended ÷ all who needed it, on D. The rule (`needs_training`):
- a subject needs repair training if, on D, it has
  (a) a *repairable record*: an active record of a negative (失信) catalog
      item, not ended early (no `unpublish_reason`), inside its disclosure
      window; or
  (b) an entry in force of an active 黑名单 list type whose rules allow an
      early removal (`early_removal_after_months` set): such a removal is a
      repair, and repair requires the training;
- it attended if one of its enrolments is 已参训 in a session held by D.
Conduct that cannot be repaired (a list type without early removal) needs
no repair training and is left out of both counts.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType
from xinyong.records.models import Record
from xinyong.rights.models import Commitment, CommitmentType, TrainingEnrolment
from xinyong.subjects.models import Subject

# 神农架林区社会信用体系建设工作方案 (seed/000): repair commitments from at least
# 30% of blacklisted subjects; repair training for everyone who needs it.
COMMITMENT_TARGET = Decimal("0.30")
TRAINING_TARGET = Decimal("1.00")


@dataclass(frozen=True, slots=True)
class Ratio:
    part: int
    whole: int
    target: Decimal

    @property
    def value(self) -> Decimal | None:
        """part ÷ whole, or None when nobody is counted (no ratio to show)."""
        return Decimal(self.part) / Decimal(self.whole) if self.whole else None

    @property
    def percent(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    @property
    def met(self) -> bool | None:
        value = self.value
        return None if value is None else value >= self.target


def _black_entries(on: dt.date) -> QuerySet[ListEntry]:
    return ListEntry.objects.in_force(on).filter(
        list_type__kind=ListType.Kind.BLACK, list_type__is_active=True
    )


def _in_window(on: dt.date) -> Q:
    return Q(disclosure_end__isnull=True) | Q(disclosure_end__gte=on)


def _fed_records(on: dt.date) -> QuerySet[Record]:
    """Active records, decided by `on` and in their window, of catalog items
    that feed an active 黑名单 list type (e.g. 失信被执行人)."""
    feeding = CatalogItem.objects.filter(
        list_types__source=ListType.Source.CATALOG_ITEM,
        list_types__kind=ListType.Kind.BLACK,
        list_types__is_active=True,
    )
    return Record.objects.filter(
        _in_window(on),
        Q(decision_date__isnull=True) | Q(decision_date__lte=on),
        status=Record.Status.ACTIVE,
        item__in=feeding,
        subject__isnull=False,
    )


def blacklisted_subjects(on: dt.date) -> QuerySet[Subject]:
    fed = _fed_records(on).values("subject_id")
    return Subject.objects.filter(Q(pk__in=_black_entries(on).values("subject_id")) | Q(pk__in=fed))


def commitment_ratio(on: dt.date | None = None) -> Ratio:
    on = on or clock.today()
    listed = blacklisted_subjects(on)
    return Ratio(
        part=listed.filter(pk__in=_signed_repair(on).values("subject_id")).count(),
        whole=listed.count(),
        target=COMMITMENT_TARGET,
    )


# Each ratio reads every list entry and record in force: about 5 s at 10^6 records (`xinyong
# bench oversight`). The credit office's home shows both and its district indicators ask for
# the same day's again: those pages read them through `cached_ratio`, kept this long
# (seconds), as the home's district figures are (oversight.home.DISTRICT_CACHE_SECONDS).
RATIO_CACHE_SECONDS = 600


def cached_ratio(name: str, on: dt.date | None = None) -> Ratio:
    """`commitment_ratio` or `training_coverage` (by `name`) on a day, computed at most once
    per RATIO_CACHE_SECONDS for pages; services and tests call the functions themselves."""
    on = on or clock.today()
    key = f"rights:coverage:{name}:{on.isoformat()}"
    found: Ratio | None = cache.get(key)
    if found is None:
        found = _RATIOS[name](on)
        cache.set(key, found, RATIO_CACHE_SECONDS)
    return found


def _repairable_records(on: dt.date) -> QuerySet[Record]:
    return Record.objects.filter(
        _in_window(on),
        Q(decision_date__isnull=True) | Q(decision_date__lte=on),
        status=Record.Status.ACTIVE,
        unpublish_reason="",
        item__nature=CatalogItem.Nature.NEGATIVE,
        subject__isnull=False,
    )


def _removable_entries(on: dt.date) -> QuerySet[ListEntry]:
    return _black_entries(on).filter(list_type__early_removal_after_months__isnull=False)


def needs_training(on: dt.date) -> QuerySet[Subject]:
    """Subjects that need repair training on `on` (the rule in the module's docstring)."""
    repairable = _repairable_records(on).values("subject_id")
    removable = _removable_entries(on).values("subject_id")
    return Subject.objects.filter(Q(pk__in=repairable) | Q(pk__in=removable))


def training_coverage(on: dt.date | None = None) -> Ratio:
    on = on or clock.today()
    needed = needs_training(on)
    return Ratio(
        part=needed.filter(pk__in=_attended(on).values("subject_id")).count(),
        whole=needed.count(),
        target=TRAINING_TARGET,
    )


def _attended(on: dt.date) -> QuerySet[TrainingEnrolment]:
    return TrainingEnrolment.objects.filter(
        status=TrainingEnrolment.Status.ATTENDED, session__held_on__lte=on
    )


def _signed_repair(on: dt.date) -> QuerySet[Commitment]:
    return Commitment.objects.filter(type=CommitmentType.REPAIR, signed_on__lte=on).exclude(
        status=Commitment.Status.BREACHED
    )


_RATIOS = {"commitment_ratio": commitment_ratio, "training_coverage": training_coverage}


# -- per department (oversight's indicators) ---------------------------------------
#
# A subject counts for the department that decided what puts it in the
# whole: its list entry (`decided_by`) or its record (`department`); one
# listed by two departments counts for both.


def _by_department(
    department_ids: list[int] | None,
    entries: QuerySet[ListEntry],
    records: QuerySet[Record],
) -> dict[int, set[int]]:
    """{department id: subject ids}, from (department, subject) pairs read
    distinct in SQL: one pair per subject and department at most, read once
    a month for the figures."""
    if department_ids is not None:
        entries = entries.filter(decided_by_id__in=department_ids)
        records = records.filter(department_id__in=department_ids)
    found: dict[int, set[int]] = {}
    for pairs in (
        entries.values_list("decided_by_id", "subject_id").distinct(),
        records.values_list("department_id", "subject_id").distinct(),
    ):
        for department_id, subject_id in pairs:
            found.setdefault(department_id, set()).add(subject_id)
    return found


def _ratios(wholes: dict[int, set[int]], parts: QuerySet[Any], target: Decimal) -> dict[int, Ratio]:
    """`parts` (commitments signed, enrolments attended) are few beside the
    subjects: their subject ids are read whole and intersected here."""
    done = set(parts.values_list("subject_id", flat=True))
    return {pk: Ratio(len(ids & done), len(ids), target) for pk, ids in wholes.items()}


def commitment_ratio_by_department(
    on: dt.date, department_ids: list[int] | None = None
) -> dict[int, Ratio]:
    """`commitment_ratio` per department: of the subjects it blacklisted (its
    list entries in force, its records feeding a 黑名单), those that signed."""
    wholes = _by_department(department_ids, _black_entries(on), _fed_records(on))
    return _ratios(wholes, _signed_repair(on), COMMITMENT_TARGET)


def training_coverage_by_department(
    on: dt.date, department_ids: list[int] | None = None
) -> dict[int, Ratio]:
    """`training_coverage` per department: of the subjects that need repair
    training for its records or list entries, those that attended."""
    wholes = _by_department(department_ids, _removable_entries(on), _repairable_records(on))
    return _ratios(wholes, _attended(on), TRAINING_TARGET)
