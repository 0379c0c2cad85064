import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import NotFoundError
from xinyong.ingest.models import Batch, batch_source
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.records.models import Record


def batch_list_for(user: User) -> QuerySet[Batch]:
    qs = Batch.objects.select_related("department", "item", "created_by")
    if user.is_credit_office:
        return qs
    # A user without a department (None) sees no batch: Django filters on IS NULL.
    return qs.filter(department_id=user.department_id)  # type: ignore[misc]  # None: IS NULL


def batch_get_for(user: User, pk: int) -> Batch:
    batch = (
        Batch.objects.select_related("department", "item", "version", "created_by")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise NotFoundError("not_found", _("未找到该批次，或您无权访问"))
    ensure_department_access(user, batch.department)
    return batch


def items_for_submission(user: User) -> QuerySet[CatalogItem]:
    """The active items a user's department submits (all, for the credit office)."""
    qs = CatalogItem.objects.filter(is_active=True, current_version__isnull=False)
    if user.is_credit_office:
        return qs.order_by("code")
    return qs.filter(departments=user.department_id).order_by("code")


def department_intake_summary(user: User) -> list[dict[str, Any]]:
    """Per department: batches, rows received/accepted/rejected, late records."""
    batches = batch_list_for(user).filter(status=Batch.Status.DONE)
    rows = (
        batches.values("department_id", "department__name")
        .annotate(
            batches=Count("id"),
            received=Sum("received"),
            accepted=Sum("accepted"),
            rejected=Sum("rejected"),
        )
        .order_by("department__name")
    )
    late_qs = Record.objects.live().filter(is_late=True)
    if not user.is_credit_office:
        # No department (None): IS NULL, no late records, as in `batch_list_for`.
        late_qs = late_qs.filter(department_id=user.department_id)  # type: ignore[misc]  # None: IS NULL
    late = dict(
        late_qs.values_list("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    return [{**row, "late": late.get(row["department_id"], 0)} for row in rows]


def late_records_for(user: User) -> QuerySet[Record]:
    qs = Record.objects.live().filter(is_late=True).select_related("item", "department", "subject")
    if not user.is_credit_office:
        # No department (None): IS NULL, no records, as in `batch_list_for`.
        qs = qs.filter(department_id=user.department_id)  # type: ignore[misc]  # None: IS NULL
    return qs.order_by("-submitted_on", "-id")


def wrong_code_counts(since: dt.date | None) -> dict[int, tuple[int, int]]:
    """Per department: (rows rejected for a wrong subject code, rows naming a
    subject by a code), over finished batches since a date."""
    qs = Batch.objects.filter(status=Batch.Status.DONE)
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    rows = qs.values("department_id").annotate(wrong=Sum("wrong_codes"), total=Sum("coded_rows"))
    return {row["department_id"]: (row["wrong"] or 0, row["total"] or 0) for row in rows}


def unfinished_sources() -> list[str]:
    """How the imports not done yet (queued, running, or left by a dead
    worker) name themselves to the subject resolution: their conflicts stay
    out of the staff pages until they are done (`subjects.selectors`)."""
    unfinished = Batch.objects.filter(status__in=[Batch.Status.PENDING, Batch.Status.PROCESSING])
    return [batch_source(pk) for pk in unfinished.values_list("pk", flat=True)]
