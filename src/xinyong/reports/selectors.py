"""Reads of `reports`: the register for staff, a subject's reports (for its 知情 page),
what the public verification page may show; the registry of credit service agencies, the
reports they file, the reviewer's view of the subject and the public verification of a
filed report."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.lists.models import ListType
from xinyong.lists.selectors import EntryView, entries_in_force
from xinyong.orgs.models import ApiToken, User
from xinyong.reports.models import Agency, AgencyReport, Report
from xinyong.sanctions.selectors import serious_records
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


# -- credit service agencies and the reports they file ---------------------------------


def agencies_for_staff() -> QuerySet[Agency]:
    """The registry for the credit office, with each agency's count of reports awaiting
    review and filed."""
    return (
        Agency.objects.select_related("department")
        .annotate(
            waiting=Count("filings", filter=Q(filings__status=AgencyReport.Status.SUBMITTED)),
            filed=Count("filings", filter=Q(filings__status=AgencyReport.Status.FILED)),
        )
        .order_by("filing_number", "id")
    )


def agency_get(pk: int) -> Agency:
    agency = Agency.objects.select_related("department").filter(pk=pk).first()
    if agency is None:
        raise NotFoundError("not_found", _("未找到该信用服务机构"))
    return agency


class DirectoryRow(NamedTuple):
    pk: int
    name: str
    uscc: str
    filing_number: str
    services: str
    status: str
    status_label: str
    filed_reports: int


def agency_directory(status: str = "") -> list[DirectoryRow]:
    """The public 名录: every agency the registry numbered (filed, suspended or revoked, so
    that the public learns an agency is no longer filed), its public fields only — never
    the contact phone — and its count of filed reports. One statement."""
    qs = Agency.objects.filter(filing_number__isnull=False)
    if status in Agency.Status.values:
        qs = qs.filter(status=status)
    rows = (
        qs.annotate(
            filed_reports=Count("filings", filter=Q(filings__status=AgencyReport.Status.FILED))
        )
        .order_by("filing_number")
        .values_list(
            "pk", "department__name", "uscc", "filing_number", "services", "status", "filed_reports"
        )
    )
    labels = dict(Agency.Service.choices)
    statuses = dict(Agency.Status.choices)
    return [
        DirectoryRow(
            pk=pk,
            name=name,
            uscc=uscc or "",
            filing_number=number or "",
            services="、".join(str(labels.get(s, s)) for s in services or []),
            status=state,
            status_label=str(statuses.get(state, state)),
            filed_reports=count,
        )
        for pk, name, uscc, number, services, state, count in rows
    ]


def filings_for(user: User) -> QuerySet[AgencyReport]:
    """The credit office sees every filing; an agency's users their agency's; others none."""
    qs = AgencyReport.objects.select_related("agency", "agency__department", "reviewed_by")
    if user.is_credit_office:
        return qs
    if user.department_id is None:
        return qs.none()
    return qs.filter(agency__department_id=user.department_id)


def filing_queue(*, overdue: bool = False, today: dt.date | None = None) -> QuerySet[AgencyReport]:
    """Filings awaiting review, the oldest due first; `overdue`: past their due date."""
    qs = AgencyReport.objects.select_related("agency", "agency__department").filter(
        status=AgencyReport.Status.SUBMITTED
    )
    if overdue:
        qs = qs.filter(due_on__lt=today or clock.today())
    return qs.order_by("due_on", "id")


def filing_get_for(user: User, pk: int) -> AgencyReport:
    filing = filings_for(user).filter(pk=pk).first()
    if filing is None:
        raise NotFoundError("not_found", _("未找到该备案，或您无权访问"))
    return filing


def filing_get_for_token(token: ApiToken, pk: int) -> AgencyReport:
    """A filing of the token's own agency; another agency's answers 404."""
    filing = (
        AgencyReport.objects.select_related("agency")
        .filter(pk=pk, agency__department_id=token.department_id)
        .first()
    )
    if filing is None:
        raise NotFoundError("not_found", _("未找到该备案，或您无权访问"))
    return filing


@dataclass
class SubjectCheck:
    """What OUR data holds on the subject of a filed report, for its reviewer."""

    known: bool
    serious: list[dict[str, Any]] = field(default_factory=list)
    black: list[EntryView] = field(default_factory=list)

    @property
    def warning(self) -> bool:
        return bool(self.black)


def filing_subject_check(filing: AgencyReport) -> SubjectCheck:
    """The subject's serious records in disclosure (sanctions' selector, as the
    联合奖惩核查 answers) and its black-list entries in force (lists' selector)."""
    if filing.subject_id is None:
        subject = (
            Subject.objects.filter(uscc=filing.subject_uscc, pending_batch_id__isnull=True)
            .exclude(kind=Subject.Kind.PERSON)
            .only("pk")
            .first()
        )
        if subject is None:
            return SubjectCheck(known=False)
        subject_id = subject.pk
    else:
        subject_id = filing.subject_id
    today = clock.today()
    serious = serious_records(subject_ids=[subject_id], on=today).get(subject_id, [])
    black = [e for e in entries_in_force(subject_ids=[subject_id]) if e.kind != ListType.Kind.RED]
    return SubjectCheck(known=True, serious=serious, black=black)


class Verdict(NamedTuple):
    """The public verification of a report an agency filed."""

    outcome: str  # filed / unfiled / revoked / expired
    label: str
    filing: AgencyReport | None
    agency: Agency | None
    file_matches: bool | None  # None: no file was given


def _agency_by_code(code: str) -> Agency | None:
    code = code.strip().upper()
    if not code:
        return None
    return (
        Agency.objects.select_related("department")
        .filter(Q(filing_number=code) | Q(uscc=code))
        .first()
    )


def filing_verify(*, agency_code: str, number: str, sha256: str | None = None) -> Verdict:
    """已备案 / 未备案 / 已撤销 / 已过期 for an agency (its 备案编号 or USCC) and its report
    number; with the SHA-256 of the file handed in, whether it is the filed file."""
    labels = {
        "filed": _("已备案"),
        "unfiled": _("未备案"),
        "revoked": _("已撤销"),
        "expired": _("已过期"),
    }
    agency = _agency_by_code(agency_code)
    filing = None
    if agency is not None and number.strip():
        filing = (
            AgencyReport.objects.filter(
                agency=agency,
                number=number.strip()[:50],
                status__in=[AgencyReport.Status.FILED, AgencyReport.Status.REVOKED],
            )
            .order_by("-id")
            .first()
        )
    if filing is None:
        return Verdict("unfiled", labels["unfiled"], None, agency, None)
    if filing.status == AgencyReport.Status.REVOKED:
        outcome = "revoked"
    elif filing.valid_until < clock.today():
        outcome = "expired"
    else:
        outcome = "filed"
    matches = None if sha256 is None else sha256 == filing.file_sha256
    return Verdict(outcome, labels[outcome], filing, agency, matches)
