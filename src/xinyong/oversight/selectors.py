"""Reads of oversight: reports for staff and the public, a department's
power usage, and what the staff home shows."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock, workdays
from xinyong.core.errors import NotFoundError
from xinyong.ingest.models import Batch
from xinyong.lists.models import ListEntry
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import can_access_department
from xinyong.oversight.indicators.completeness import idle_since, power_uses
from xinyong.oversight.models import FiguresRelease, MonthlyFigures, MonthlyReport, Power
from xinyong.oversight.periods import Month
from xinyong.records.models import Record
from xinyong.rights.models import Objection
from xinyong.sanctions.models import Check

# -- reports -----------------------------------------------------------------------


def reports_for_staff() -> QuerySet[MonthlyReport]:
    """Every 通报 (all staff receive it), newest first, without their bodies."""
    return MonthlyReport.objects.defer("html", "pdf").order_by("-month")


def report_get(month: Month, *, public: bool = False) -> MonthlyReport:
    qs = MonthlyReport.objects.filter(month=month.start)
    if public:
        qs = qs.filter(published_at__isnull=False)
    report = qs.first()
    if report is None:
        raise NotFoundError("not_found", _("未找到%(m)s的通报") % {"m": month.label})
    return report


def reports_published() -> QuerySet[MonthlyReport]:
    return reports_for_staff().filter(published_at__isnull=False)


@dataclass(frozen=True)
class FigureMonth:
    month: Month
    published_at: dt.datetime | None


def figure_months_for_staff(limit: int = 24) -> list[FigureMonth]:
    """The months with stored figures, newest first, with their portal state."""
    days = list(
        MonthlyFigures.objects.order_by("-month").values_list("month", flat=True).distinct()[:limit]
    )
    released = dict(
        FiguresRelease.objects.filter(month__in=days).values_list("month", "published_at")
    )
    return [FigureMonth(Month.of(day), released.get(day)) for day in days]


# -- the 权力清单 -----------------------------------------------------------------------


@dataclass(frozen=True)
class PowerRow:
    power: Power
    this_year: int
    last_year: int  # the same span of the year before
    last_decided: dt.date | None
    idle: bool  # no decision in the last IDLE_MONTHS months


def power_usage(
    *, user: User, department: Department, today: dt.date | None = None
) -> list[PowerRow]:
    """The department's active powers with their decisions this year so far,
    in the same span of last year, and a flag for those without a decision
    for IDLE_MONTHS months (全覆盖、零遗漏)."""
    if not can_access_department(user, department):
        raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))
    today = today or clock.today()
    ids = [department.pk]
    this = power_uses(start=dt.date(today.year, 1, 1), end=today, department_ids=ids)
    try:
        same_day = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        same_day = today.replace(year=today.year - 1, day=28)
    before = power_uses(start=dt.date(today.year - 1, 1, 1), end=same_day, department_ids=ids)
    recent = power_uses(start=idle_since(Month.of(today)), end=today, department_ids=ids)
    powers = Power.objects.filter(department=department, is_active=True).order_by("kind", "code")
    return [
        PowerRow(
            power=p,
            this_year=this[p.pk].decisions,
            last_year=before[p.pk].decisions,
            last_decided=max(
                (d for d in (this[p.pk].last_decided, recent[p.pk].last_decided) if d), default=None
            ),
            idle=recent[p.pk].decisions == 0,
        )
        for p in powers
    ]


# -- the staff home -----------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentWork:
    """A clerk's or officer's day: counts, each with its link."""

    publish_soon: int  # not public yet, due within SOON_WORKDAYS working days
    publish_overdue: int  # not public yet, past the 7-working-day deadline
    late_this_month: int  # submitted late this month (7-day rule)
    rejected_batches: list[Batch]  # recent batches with rows to fix
    rejected_rows: int
    lists_waiting: dict[str, int]  # list procedures by the step they wait for

    @property
    def anything(self) -> bool:
        return bool(
            self.publish_soon
            or self.publish_overdue
            or self.late_this_month
            or self.rejected_rows
            or self.lists_waiting
        )


SOON_WORKDAYS = 2
REJECTED_WITHIN_DAYS = 30


def _unpublished(department_ids: list[int] | None) -> QuerySet[Record]:
    qs = Record.objects.live().filter(
        status=Record.Status.ACTIVE,
        unpublish_reason="",
        published_on__isnull=True,
        publish_due__isnull=False,
    )
    return qs if department_ids is None else qs.filter(department_id__in=department_ids)


def department_work(user: User, today: dt.date | None = None) -> DepartmentWork:
    today = today or clock.today()
    ids = [user.department_id or 0]
    soon = workdays.add_workdays(today, SOON_WORKDAYS).date
    unpublished = _unpublished(ids).aggregate(
        soon=Count("id", filter=Q(publish_due__gte=today, publish_due__lte=soon)),
        overdue=Count("id", filter=Q(publish_due__lt=today)),
    )
    month = Month.of(today)
    late = (
        Record.objects.live()
        .filter(department_id__in=ids, is_late=True, submitted_on__gte=month.start)
        .count()
    )
    since = clock.now() - dt.timedelta(days=REJECTED_WITHIN_DAYS)
    batches = list(
        Batch.objects.filter(
            department_id__in=ids, status=Batch.Status.DONE, rejected__gt=0, created_at__gte=since
        )
        .select_related("item")
        .order_by("-created_at")[:5]
    )
    rejected_rows = sum(b.rejected for b in batches)
    waiting = _lists_waiting(ids, today)
    return DepartmentWork(
        publish_soon=unpublished["soon"],
        publish_overdue=unpublished["overdue"],
        late_this_month=late,
        rejected_batches=batches,
        rejected_rows=rejected_rows,
        lists_waiting=waiting,
    )


def _lists_waiting(department_ids: list[int], today: dt.date) -> dict[str, int]:
    """List entries of the departments by the next step they wait for:
    告知 (proposed), 决定 (told, the objection period over), 答复异议 (objected)."""
    counts = ListEntry.objects.filter(decided_by_id__in=department_ids).aggregate(
        notify=Count("id", filter=Q(status=ListEntry.Status.PROPOSED)),
        decide=Count("id", filter=Q(status=ListEntry.Status.NOTIFIED, objection_until__lt=today)),
        answer=Count("id", filter=Q(status=ListEntry.Status.OBJECTED)),
    )
    labels = {"notify": _("待告知"), "decide": _("申辩期满待决定"), "answer": _("待答复异议")}
    return {labels[k]: v for k, v in counts.items() if v}


@dataclass(frozen=True)
class OverdueRow:
    department: str
    publish_overdue: int
    late_this_month: int
    feedback_overdue: int
    objections_overdue: int


def overdue_by_department(today: dt.date | None = None) -> list[OverdueRow]:
    """The credit office's view: per department, what is overdue (four
    grouped statements, whatever the number of departments)."""
    today = today or clock.today()
    month = Month.of(today)

    def per(qs: QuerySet[Any], key: str = "department_id") -> dict[int, int]:
        return dict(qs.values_list(key).annotate(n=Count("id")).values_list(key, "n"))

    publish = per(_unpublished(None).filter(publish_due__lt=today))
    late = per(Record.objects.live().filter(is_late=True, submitted_on__gte=month.start))
    feedback = per(
        Check.objects.filter(hit_count__gt=0, feedback__isnull=True, feedback_due__lt=today)
    )
    objections = per(
        Objection.objects.filter(
            status=Objection.Status.VERIFYING, verify_due__lt=today, verified_on__isnull=True
        )
    )
    names = dict(Department.objects.values_list("pk", "name"))
    rows = [
        OverdueRow(
            names.get(pk, ""),
            publish.get(pk, 0),
            late.get(pk, 0),
            feedback.get(pk, 0),
            objections.get(pk, 0),
        )
        for pk in set(publish) | set(late) | set(feedback) | set(objections)
        if pk is not None
    ]
    return sorted(rows, key=lambda r: r.department)
