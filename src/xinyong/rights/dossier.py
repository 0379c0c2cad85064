"""知情 (issue 14 §7): everything the platform holds about one subject, for
the subject itself (`services.disclosure` decides who may see it).

Sections: the records of every item, public or not, with their content
(third parties' identifiers in free text are masked by the scrubber; the
subject's own fields are shown as held); the list entries; the checks run
against it (which department, when, for which matter: `sanctions.Check`);
the objections filed on its records; and the credit reports issued on it,
which the reports app provides through `register_report_source` (`reports.sources`).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from xinyong.catalog.models import CatalogField
from xinyong.core.scrub import scrub_text
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.rights.models import Objection
from xinyong.sanctions.models import Check, CheckedSubject
from xinyong.subjects.models import Subject

# Records shown per subject (a subject with more sees the newest; the page says so).
RECORD_CAP = 500
CHECK_CAP = 500


@dataclass(frozen=True, slots=True)
class DossierRecord:
    record: Record
    public: bool
    fields: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class DossierCheck:
    department: str
    checked_at: dt.datetime
    domain: str
    matter: str
    hit: bool


@dataclass(frozen=True, slots=True)
class ReportIssued:
    """A credit report issued on the subject (filled by the reports app)."""

    number: str
    kind: str
    issued_on: dt.date
    requested_by: str


@dataclass(slots=True)
class Dossier:
    subject: Subject
    records: list[DossierRecord] = field(default_factory=list)
    records_capped: bool = False
    entries: list[ListEntry] = field(default_factory=list)
    checks: list[DossierCheck] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    reports: list[ReportIssued] = field(default_factory=list)


ReportSource = Callable[[Subject], list[ReportIssued]]
_REPORT_SOURCES: list[ReportSource] = []


def register_report_source(source: ReportSource) -> None:
    """The reports app (`reports.sources`) registers here the reports issued on a
    subject; until it does, the file's 信用报告 section says 无."""
    if source not in _REPORT_SOURCES:
        _REPORT_SOURCES.append(source)


def reports_issued(subject: Subject) -> list[ReportIssued]:
    found: list[ReportIssued] = []
    for source in _REPORT_SOURCES:
        found.extend(source(subject))
    return sorted(found, key=lambda r: r.issued_on, reverse=True)


# Fields the subject's own identity fills: shown as held (it is the subject's own file).
_OWN_ROLES = {
    CatalogField.Role.SUBJECT_NAME,
    CatalogField.Role.SUBJECT_USCC,
    CatalogField.Role.SUBJECT_ID_NUMBER,
    CatalogField.Role.SUBJECT_REGISTRATION,
    CatalogField.Role.SUBJECT_ORGANIZATION,
    CatalogField.Role.SUBJECT_TAX,
    CatalogField.Role.SUBJECT_INSTITUTION,
    CatalogField.Role.SUBJECT_SOCIAL_ORG,
}


def _fields(record: Record) -> list[tuple[str, str]]:
    out = []
    for f in record.version.schema["fields"]:
        value = record.data.get(f["key"], "")
        text = "" if value is None else str(value)
        if f.get("role") not in _OWN_ROLES:
            # A clerk may have typed someone else's ID or mobile number in free text.
            text = scrub_text(text)
        out.append((f["label"], text))
    return out


def subject_dossier(subject: Subject) -> Dossier:
    """The subject's whole file. A handful of statements whatever it holds."""
    dossier = Dossier(subject=subject)
    public_ids = set(
        Record.objects.publicly_visible().filter(subject=subject).values_list("pk", flat=True)
    )
    rows = list(
        Record.objects.live()
        .filter(subject=subject)
        .select_related("item", "department", "version")
        .order_by("-decision_date", "-pk")[: RECORD_CAP + 1]
    )
    dossier.records_capped = len(rows) > RECORD_CAP
    dossier.records = [
        DossierRecord(record=r, public=r.pk in public_ids, fields=_fields(r))
        for r in rows[:RECORD_CAP]
    ]
    dossier.entries = list(
        ListEntry.objects.filter(subject=subject)
        .select_related("list_type", "decided_by")
        .order_by("-created_at")
    )
    check_ids = (
        CheckedSubject.objects.filter(subject=subject)
        .order_by("-checked_on")
        .values_list("check_run_id", flat=True)[:CHECK_CAP]
    )
    dossier.checks = [
        DossierCheck(
            department=str(c.department) if c.department else "",
            checked_at=c.created_at,
            domain=c.domain.name if c.domain else "",
            matter=c.matter,
            hit=c.hit_count > 0,
        )
        for c in Check.objects.filter(pk__in=list(check_ids))
        .select_related("department", "domain")
        .order_by("-created_at")
    ]
    dossier.objections = list(
        Objection.objects.filter(record__subject=subject).select_related("record").order_by("-pk")
    )
    dossier.reports = reports_issued(subject)
    return dossier
