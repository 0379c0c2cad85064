"""Reads of `sanctions`: a subject's serious records, checks and feedback for
a department, the 应查尽查 coverage, cases and the plan's quotas."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.db import bulk
from xinyong.core.errors import NotFoundError
from xinyong.core.models import Tag
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import can_access_department
from xinyong.records.models import Record
from xinyong.sanctions.models import Case, Check, CheckedSubject, Feedback

# The disclosure tier that makes a record "serious" (records.disclosure: 严重失信).
SERIOUS_TIER = "serious"
# Serious records shown per subject in a check's answer.
SERIOUS_PER_SUBJECT = 20

# 神农架林区社会信用体系建设工作要点 三: at least 3 joint reward/punishment
# cases per department a year, and cases amounting to at least 10% of the
# number of list entries.
CASES_PER_DEPARTMENT = 3
CASES_SHARE_OF_ENTRIES = 0.10

# The decisions whose counterparts must be checked first (应查尽查), by the
# catalog item that records them and the domain of the check.
COVERAGE_KINDS = (("XZXK", "XZXK", "行政许可"), ("XZCF", "XZCF", "行政处罚"))


# Plain lower-case table names from _meta: the same quoted form on both databases.
_SERIOUS_SQL = (
    "SELECT r.id, r.subject_id, i.name, d.name, r.doc_number, r.decision_date, "  # noqa: S608 - table names from _meta; values bound
    "r.disclosure_end, r.disputed "
    f'FROM "{Record._meta.db_table}" r '
    'JOIN "catalog_catalogitem" i ON i.id = r.item_id '
    f'JOIN "{Department._meta.db_table}" d ON d.id = r.department_id '
    # Restricted items (公务员诚信档案, 个人诚信) never answer another department.
    "WHERE {subjects} AND NOT i.is_restricted AND r.status = %s AND r.unpublish_reason = '' "
    "AND r.disclosure_tier = %s AND r.decision_date <= %s "
    "AND (r.disclosure_end IS NULL OR r.disclosure_end >= %s) "
    "ORDER BY r.subject_id, r.decision_date DESC, r.id DESC"
)


def _iso(value: dt.date | str | None) -> str | None:
    """A date column as ISO text (SQLite answers text to raw SQL, PostgreSQL a date)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def serious_records(*, subject_ids: list[int], on: dt.date) -> dict[int, list[dict[str, Any]]]:
    """Per subject, its serious records (失信程度 严重) still within their
    disclosure period on `on`: active, not ended, decided.

    SQL intent: one statement on the index (subject, item), the ids as one
    parameter; written out rather than built by the ORM, which cost more
    than the query on a check's hot path (bench/README.md)."""
    where, params = bulk.any_of("r.subject_id", subject_ids)
    rows = bulk.select(
        _SERIOUS_SQL.format(subjects=where),
        [*params, Record.Status.ACTIVE.value, SERIOUS_TIER, on, on],
    )
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for pk, subject_id, item, department, doc, decided, end, disputed in rows:
        if len(result[subject_id]) >= SERIOUS_PER_SUBJECT:
            continue
        result[subject_id].append(
            {
                "id": pk,
                "item": item,
                "department": department,
                "doc_number": doc,
                "decision_date": _iso(decided),
                "disclosure_end": _iso(end),
                "disputed": bool(disputed),
                # records' `disputed`: an objection accepted and not yet closed (rights).
                "objection": "异议处理中" if disputed else "无",
            }
        )
    return dict(result)


# -- checks and feedback -------------------------------------------------------------


def check_list_for(user: User) -> QuerySet[Check]:
    """The checks a user may see: the credit office all, a department its own."""
    qs = Check.objects.select_related("domain", "department", "officer", "feedback").order_by(
        "-created_at", "-id"
    )
    if user.is_credit_office:
        return qs
    return qs.filter(department_id=user.department_id) if user.department_id else qs.none()


def may_see_check(actor: User | ApiToken, check: Check) -> bool:
    """The checking department (its staff, or its systems by token) and the credit office."""
    if check.department_id is None:
        return False
    if isinstance(actor, ApiToken):
        return actor.department_id == check.department_id
    return can_access_department(actor, check.department_id)


def check_get_for_token(token: ApiToken, pk: int) -> Check:
    """A check as its department's systems read it back; "not found" for another's."""
    check = Check.objects.select_related("domain", "feedback", "feedback__measure").filter(pk=pk)
    found = check.first()
    if found is None or not may_see_check(token, found):
        raise NotFoundError("not_found", _("未找到该核查记录，或您无权访问"))
    return found


def check_get_for(user: User, pk: int) -> Check:
    check = Check.objects.select_related("domain", "department", "officer").filter(pk=pk).first()
    if (
        check is None
        or check.department_id is None
        or not can_access_department(user, check.department_id)
    ):
        raise NotFoundError("not_found", _("未找到该核查记录，或您无权访问"))
    return check


def feedback_pending_for(user: User) -> QuerySet[Check]:
    """Checks that hit and still wait for the department's feedback, oldest due first."""
    return (
        check_list_for(user)
        .filter(hit_count__gt=0, feedback__isnull=True)
        .order_by("feedback_due", "id")
    )


def feedback_overdue_count(user: User, today: dt.date | None = None) -> int:
    today = today or clock.today()
    return feedback_pending_for(user).filter(feedback_due__lt=today).count()


# -- coverage (应查尽查) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    department_id: int
    department: str
    kind: str  # the catalog item's code: XZXK, XZCF
    label: str
    decisions: int
    checked: int

    @property
    def rate(self) -> float | None:
        return self.checked / self.decisions if self.decisions else None


def coverage(
    *,
    start: dt.date,
    end: dt.date,
    department_ids: list[int] | None = None,
) -> list[Coverage]:
    """应查尽查 per department and kind of decision: of the department's
    decisions (its 行政许可 and 行政处罚 records decided from `start` to `end`),
    how many name a subject that the department checked, in the same domain,
    on or before the decision date.

    SQL intent: one GROUP BY over the records of the two items, each with an
    EXISTS on `checked_subject_idx` (department, subject, checked_on)."""
    label_of = {item: label for item, _d, label in COVERAGE_KINDS}
    checked = CheckedSubject.objects.filter(
        department_id=OuterRef("department_id"),
        subject_id=OuterRef("subject_id"),
        checked_on__lte=OuterRef("decision_date"),
        check_run__domain__code=OuterRef("item__code"),
    )
    records = Record.objects.filter(
        item__code__in=list(label_of),
        decision_date__gte=start,
        decision_date__lte=end,
        status=Record.Status.ACTIVE,
    )
    if department_ids is not None:
        records = records.filter(department_id__in=department_ids)
    rows = (
        records.annotate(was_checked=Exists(checked))
        .values("department_id", "department__name", "item__code")
        .annotate(n=Count("id"), c=Count("id", filter=Q(was_checked=True)))
        .order_by("department__name", "item__code")
    )
    return [
        Coverage(
            department_id=r["department_id"],
            department=r["department__name"],
            kind=r["item__code"],
            label=label_of[r["item__code"]],
            decisions=r["n"],
            checked=r["c"],
        )
        for r in rows
    ]


# -- cases and quotas ---------------------------------------------------------------------


def case_list_for(user: User) -> QuerySet[Case]:
    qs = Case.objects.select_related("department").order_by("-created_at", "-id")
    if user.is_credit_office:
        return qs
    return qs.filter(department_id=user.department_id) if user.department_id else qs.none()


def case_get_for(user: User, pk: int) -> Case:
    case = Case.objects.select_related("department", "feedback").filter(pk=pk).first()
    if case is None or not can_access_department(user, case.department_id):
        raise NotFoundError("not_found", _("未找到该案例，或您无权访问"))
    return case


def cases_published(tag: Tag | None = None) -> QuerySet[Case]:
    """The portal's 典型案例 (诚信宣传), newest first, with their tags (one
    more statement for a page); those with `tag` only if given."""
    qs = Case.objects.filter(status=Case.Status.PUBLISHED)
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs.select_related("department").prefetch_related("tags").order_by("-published_on", "-id")


def case_get_published(pk: int) -> Case:
    case = cases_published().filter(pk=pk).first()
    if case is None:
        raise NotFoundError("not_found", _("未找到该案例"))
    return case


def feedback_for_case(user: User, pk: int) -> Feedback:
    feedback = (
        Feedback.objects.select_related("check_run", "check_run__department", "measure")
        .filter(pk=pk)
        .first()
    )
    department_id = feedback.check_run.department_id if feedback else None
    if feedback is None or department_id is None or not can_access_department(user, department_id):
        raise NotFoundError("not_found", _("未找到该反馈，或您无权访问"))
    return feedback


@dataclass(frozen=True, slots=True)
class DepartmentQuota:
    department_id: int
    department: str
    published: int
    target: int

    @property
    def met(self) -> bool:
        return self.published >= self.target

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.published / self.target)) if self.target else 100


@dataclass(frozen=True, slots=True)
class Quotas:
    year: int
    departments: list[DepartmentQuota]
    cases: int
    list_entries: int

    @property
    def cases_target(self) -> int:
        # At least 10% of the entries, rounded up: 1 entry already asks for 1 case.
        return -(-self.list_entries * 10 // 100) if self.list_entries else 0

    @property
    def cases_met(self) -> bool:
        return self.cases >= self.cases_target

    @property
    def cases_percent(self) -> int:
        target = self.cases_target
        return min(100, round(100 * self.cases / target)) if target else 100


def quotas(*, year: int | None = None, department_ids: list[int] | None = None) -> Quotas:
    """The plan's quotas for `year`: published cases per department (≥ 3) and
    all published cases against 10% of the list entries listed that year."""
    year = year or clock.today().year
    published = Case.objects.filter(status=Case.Status.PUBLISHED, published_on__year=year)
    per_department = dict(
        published.values("department_id").annotate(n=Count("id")).values_list("department_id", "n")
    )
    departments = Department.objects.government()
    if department_ids is not None:
        departments = departments.filter(pk__in=department_ids)
    rows = [
        DepartmentQuota(d.pk, d.name, per_department.get(d.pk, 0), CASES_PER_DEPARTMENT)
        for d in departments.order_by("name")
    ]
    from xinyong.sanctions.entries import list_entries_in_year

    return Quotas(
        year=year,
        departments=rows,
        cases=published.count(),
        list_entries=list_entries_in_year(year),
    )


def departments_applying_measures(*, subject_id: int) -> list[Department]:
    """The departments whose checks hit the subject and fed back a measure
    applied to it (措施落实反馈 with 已实施措施): those to tell when the
    measures are lifted (a credit repair, 解除惩戒). One query."""
    applied = Check.objects.filter(
        checked__subject_id=subject_id, hit_count__gt=0, feedback__applied=True
    ).values("department_id")
    return list(Department.objects.filter(pk__in=applied).order_by("name"))
