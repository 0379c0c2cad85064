"""Reads of `reports`: the register for staff, a subject's reports (for its 知情 page),
and what the public verification page may show."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinyong.core.errors import NotFoundError
from xinyong.orgs.models import ApiToken, User
from xinyong.reports.models import Report
from xinyong.subjects.models import Subject


def reports_for_subject(subject: Subject) -> QuerySet[Report]:
    """Every report issued about a subject, newest first: who asked (`requested_label`),
    through which channel, why (`purpose`), which kind, number and date. What the
    subject's 知情 page lists."""
    return Report.objects.filter(subject=subject).order_by("-requested_at", "-id")


def reports_for(user: User) -> QuerySet[Report]:
    """The staff register: the credit office sees all, others the reports they asked for."""
    qs = Report.objects.select_related("subject", "requested_by")
    if not user.is_credit_office:
        qs = qs.filter(requested_by=user)
    return qs


def report_get_for(user: User, pk: int) -> Report:
    report = reports_for(user).filter(pk=pk).first()
    if report is None:
        raise NotFoundError("not_found", _("未找到该信用报告，或您无权访问"))
    return report


def report_get_for_token(token: ApiToken, number: str) -> Report:
    report = (
        Report.objects.select_related("requested_token")
        .filter(number=number[:32], requested_token__department_id=token.department_id)
        .first()
    )
    if report is None:
        raise NotFoundError("not_found", _("未找到该信用报告，或您无权访问"))
    return report


def report_public(number: str) -> Report:
    """An issued report by number, for the verification page (its public fields only)."""
    report = (
        Report.objects.filter(number=number[:32], status=Report.Status.ISSUED)
        .only(
            "number", "kind", "subject_label", "subject_code", "issued_on", "content_hash", "key_id"
        )
        .first()
    )
    if report is None:
        raise NotFoundError("not_found", _("未找到该报告编号，请核对"))
    return report
