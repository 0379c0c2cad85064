"""The staff queue pattern (issue 14 §8), shared by every queue of `rights`
(objections now; repair applications and commitments reuse it).

A queue page has the same three filters (status, department, overdue) and a
working-day countdown per row. `QueueFilters.parse` reads them from the
query string, keeping only values that are valid for the page and the user
(a department's clerk sees its own department only, so the department filter
is the credit office's). `queue_filter` applies status and department to a
queryset that has the fields `status` and `department`; `only_overdue`
keeps the rows whose countdown (the queue's own function, from `core.workdays`)
is past. The template `rights/_queue_filters.html` draws the form and
`rights/_countdown.html` one countdown (any object with `label`, `due`,
`left`, `overdue`, `late_by`, like `selectors.Countdown`).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from xinyong.orgs.models import Department, User

M = TypeVar("M", bound=Model)
# How many rows a queue page reads at most (the filters narrow it).
QUEUE_CAP = 200


@dataclass(frozen=True, slots=True)
class QueueFilters:
    status: str = ""
    department_id: int | None = None
    overdue: bool = False

    @classmethod
    def parse(cls, request: HttpRequest, *, statuses: Iterable[str], user: User) -> "QueueFilters":
        status = request.GET.get("status", "")
        department: int | None = None
        raw = request.GET.get("department", "")
        if user.is_credit_office and raw.isdigit():
            department = int(raw)
        return cls(
            status=status if status in set(statuses) else "",
            department_id=department,
            overdue=request.GET.get("overdue") == "1",
        )

    def context(self, *, statuses: Sequence[tuple[str, Any]], user: User) -> dict[str, Any]:
        """What `rights/_queue_filters.html` needs."""
        return {
            "filters": self,
            "statuses": statuses,
            "departments": list(Department.objects.order_by("name"))
            if user.is_credit_office
            else [],
        }


def queue_filter(qs: QuerySet[M], filters: QueueFilters) -> QuerySet[M]:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.department_id is not None:
        qs = qs.filter(department_id=filters.department_id)
    return qs


def only_overdue(rows: Iterable[tuple[M, Any]], filters: QueueFilters) -> list[tuple[M, Any]]:
    """Rows (object, countdown) kept by the overdue filter."""
    return [row for row in rows if not filters.overdue or row[1].overdue]


def queue_rows(
    qs: QuerySet[M], filters: QueueFilters, countdown: Callable[[M], Any]
) -> list[tuple[M, Any]]:
    """The page's rows: the filtered queryset (at most QUEUE_CAP before the
    overdue filter, which is computed per row in working days), each with its countdown."""
    return only_overdue(((o, countdown(o)) for o in queue_filter(qs, filters)[:QUEUE_CAP]), filters)
