"""Reads of the subject registry: the conflict queue, a subject, code quality."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TypedDict

from django.db.models import Count, Exists, Manager, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import can_access_department
from xinyong.subjects.models import Subject, SubjectConflict, SubjectSighting

# 工作要点 二.5: 全区统一社会信用代码重错码率降到1%以下.
QUALITY_TARGET = 0.01

WrongCodeCounts = Mapping[int, tuple[int, int]]
_wrong_code_counter: Callable[[dt.date | None], WrongCodeCounts] | None = None
_unfinished_sources: Callable[[], list[str]] | None = None


def register_unfinished_imports(sources: Callable[[], list[str]]) -> None:
    """Let intake say which imports are not done yet: `sources()` returns
    the `source` their resolution gives conflicts (as `register_wrong_code_counter`)."""
    global _unfinished_sources
    _unfinished_sources = sources


def _settled(conflicts: "Manager[SubjectConflict]") -> QuerySet[SubjectConflict]:
    """Conflicts but those an unfinished import queued: on a subject it
    created (pending), or named by its source while it runs
    (`subjects.staging`). SQL intent: the pending subjects are few (the
    partial index `subject_pending_idx`); the running imports fewer."""
    pending = Subject.objects.filter(pending_batch_id__isnull=False).values("pk")
    running = _unfinished_sources() if _unfinished_sources is not None else []
    return (
        conflicts.exclude(subject__in=pending)
        .exclude(other_subject__in=pending)
        .exclude(source__in=running)
    )


def conflict_list_for(
    user: User, status: str | None = SubjectConflict.Status.OPEN
) -> QuerySet[SubjectConflict]:
    """The conflicts a user may review: every department's for the credit
    office, else their own department's. `status=None` lists all."""
    qs = _settled(SubjectConflict.objects).select_related("subject", "other_subject", "department")
    if status:
        qs = qs.filter(status=status)
    if user.is_credit_office:
        return qs
    return qs.filter(department_id=user.department_id) if user.department_id else qs.none()


def conflict_get_for(user: User, pk: int) -> SubjectConflict:
    conflict = (
        _settled(SubjectConflict.objects)
        .select_related("subject", "department")
        .filter(pk=pk)
        .first()
    )
    if conflict is None or not can_access_department(user, conflict.department_id):
        raise NotFoundError("not_found", _("未找到该冲突，或您无权访问"))
    return conflict


def subject_get(pk: int) -> Subject:
    subject = (
        Subject.objects.live().prefetch_related("identifiers", "aliases").filter(pk=pk).first()
    )
    if subject is None:
        raise NotFoundError("not_found", _("未找到该信用主体"))
    return subject


def subject_get_for_staff(user: User, pk: int) -> Subject:
    """A subject for a staff page. A natural person only for the credit
    office and the departments that hold a record of that person (least
    privilege, DESIGN.md principle 5); to anyone else, as to a missing
    subject, "not found". (`records` is the reverse name of the records
    app's `Record.subject`: a lookup by name, no import of a higher layer.)"""
    subject = subject_get(pk)
    if subject.kind != Subject.Kind.PERSON or user.is_credit_office:
        return subject
    holds = (
        user.department_id is not None
        and Subject.objects.filter(pk=subject.pk, records__department_id=user.department_id)
        .values("pk")
        .exists()
    )
    if not holds:
        raise NotFoundError("not_found", _("未找到该信用主体"))
    return subject


def subject_conflicts_for(user: User, subject: Subject) -> QuerySet[SubjectConflict]:
    """The conflicts about a subject that the user may see (all statuses)."""
    qs = conflict_list_for(user, status=None)
    return qs.filter(Q(subject=subject) | Q(other_subject=subject))


def register_wrong_code_counter(counter: Callable[[dt.date | None], WrongCodeCounts]) -> None:
    """Let intake supply the wrong-code half of the quality figures.

    `counter(since)` returns `{department_id: (rows rejected for an invalid
    code, rows received with a code)}`. Intake sits below this app, so it
    registers itself (e.g. in its AppConfig.ready) instead of being imported."""
    global _wrong_code_counter
    _wrong_code_counter = counter


def wrong_code_counts_for(since: dt.date | None) -> WrongCodeCounts | None:
    return _wrong_code_counter(since) if _wrong_code_counter is not None else None


class DepartmentQuality(TypedDict):
    """One department's code-quality figures (see `quality_by_department`)."""

    department_id: int
    department: str
    short_code: str
    subjects_submitted: int
    subjects_with_code: int
    duplicate_code_subjects: int
    duplicate_code_rate: float | None
    rows_with_code: int
    wrong_code_rows: int
    wrong_code_rate: float | None
    meets_target: bool | None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def quality_by_department(
    *,
    since: dt.date | None = None,
    wrong_code_counts: WrongCodeCounts | None = None,
    department_ids: Iterable[int] | None = None,
    target: float = QUALITY_TARGET,
) -> list[DepartmentQuality]:
    """Per department, the plan's code-quality figures (工作要点 二.5: 重错码率 < 1%).

    - `subjects_submitted`: distinct subjects the department's rows resolved
      to (since `since`, by the date last submitted);
    - `subjects_with_code`: those of them submitted with a USCC or a legacy
      code (persons known only by an ID number are not codes);
    - `duplicate_code_rate` = the department's coded subjects that are
      involved (as `subject` or `other_subject`) in an OPEN name_mismatch /
      code_mismatch / legacy_mismatch conflict raised by the department's own
      rows ÷ `subjects_with_code`;
    - `wrong_code_rate` = rows rejected for an invalid code ÷ rows received
      with a code, from `wrong_code_counts[department_id] = (wrong, total)`
      that intake supplies (None when it does not);
    - `meets_target`: every known rate is below `target` (None: no figures).

    Four queries, whatever the number of subjects; memory grows with the
    number of open conflicts only.
    """
    start = None
    if since is not None:
        start = dt.datetime.combine(since, dt.time(0), tzinfo=clock.SHANGHAI)
    if wrong_code_counts is None:
        # Intake's figures, when it has registered its counter.
        wrong_code_counts = wrong_code_counts_for(since)
    wrong_code_counts = wrong_code_counts or {}

    sightings = SubjectSighting.objects.filter(subject__pending_batch_id__isnull=True)
    if start is not None:
        sightings = sightings.filter(last_seen_at__gte=start)
    submitted = {
        row["department_id"]: row
        for row in sightings.values("department_id").annotate(
            n=Count("id"), coded=Count("id", filter=Q(with_code=True))
        )
    }
    coded_sighting = SubjectSighting.objects.filter(
        department_id=OuterRef("department_id"), with_code=True
    )  # (a pending subject's sighting: its conflicts are left out below)
    if start is not None:
        coded_sighting = coded_sighting.filter(last_seen_at__gte=start)
    # Distinct coded subjects of a department caught (on either side) in one
    # of its open conflicts: driven by the open conflicts, not the sightings.
    open_conflicts = _settled(SubjectConflict.objects).filter(status=SubjectConflict.Status.OPEN)
    involved = set(
        open_conflicts.filter(
            Exists(coded_sighting.filter(subject_id=OuterRef("subject_id")))
        ).values_list("department_id", "subject_id")
    ) | set(
        open_conflicts.filter(
            Exists(coded_sighting.filter(subject_id=OuterRef("other_subject_id")))
        ).values_list("department_id", "other_subject_id")
    )
    duplicates: dict[int, int] = {}
    for department_id, _subject_id in involved:
        duplicates[department_id] = duplicates.get(department_id, 0) + 1

    departments = Department.objects.filter(
        (Q(is_active=True) & ~Q(kind__in=Department.NOT_GOVERNMENT))
        | Q(pk__in=[*submitted, *wrong_code_counts])
    ).order_by("name")
    if department_ids is not None:
        departments = departments.filter(pk__in=list(department_ids))

    result: list[DepartmentQuality] = []
    for department in departments:
        counts = submitted.get(department.pk, {"n": 0, "coded": 0})
        duplicate = duplicates.get(department.pk, 0)
        wrong, with_code_rows = wrong_code_counts.get(department.pk, (0, 0))
        duplicate_rate = _rate(duplicate, counts["coded"])
        wrong_rate = _rate(wrong, with_code_rows)
        known = [r for r in (duplicate_rate, wrong_rate) if r is not None]
        result.append(
            {
                "department_id": department.pk,
                "department": department.name,
                "short_code": department.short_code,
                "subjects_submitted": counts["n"],
                "subjects_with_code": counts["coded"],
                "duplicate_code_subjects": duplicate,
                "duplicate_code_rate": duplicate_rate,
                "rows_with_code": with_code_rows,
                "wrong_code_rows": wrong,
                "wrong_code_rate": wrong_rate,
                "meets_target": all(r < target for r in known) if known else None,
            }
        )
    return result
