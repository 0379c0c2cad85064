"""Reads of `integrity`: government bodies, the complaints queue, a person's
integrity file and the integrity check for hiring and honours.

The records of restricted items are read through `readable_items(user)`:
the credit office reads all, a department the items that name it a reader
(`catalog.permissions.can_read_restricted`, the same rule as the staff
record page). Reads of a person's records are audited by the callers'
services below (`integrity_file`, `integrity_check`).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.integrity.audit_actions import INTEGRITY_CHECK, INTEGRITY_FILE_VIEW
from xinyong.integrity.builtin import GOVERNMENT_ITEMS, PERSONAL_ITEMS
from xinyong.integrity.complaint_effects import secret_matches
from xinyong.integrity.models import GovComplaint
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import can_access_department
from xinyong.records.models import Record
from xinyong.sanctions import matching
from xinyong.sanctions.models import Check
from xinyong.sanctions.services.checks import CheckOutcome, check_run
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import GOVERNMENT_CATEGORIES, Subject

# The check domains whose answer includes the person's integrity records:
# 录用任用 and 评优表彰 (国发〔2016〕98号: use integrity records in hiring and honours).
INTEGRITY_DOMAINS = ("RYLY", "PYBZ")


# -- 政务诚信: government bodies ------------------------------------------------------


def government_bodies(category: str = "") -> QuerySet[Subject]:
    """机关 and 事业单位 (by USCC), each with its number of 政务失信 records."""
    if category and category not in GOVERNMENT_CATEGORIES:
        category = ""
    return (
        Subject.objects.live()
        .government(category)
        .annotate(
            breaches=Count(
                "records",
                filter=Q(records__item__code__in=GOVERNMENT_ITEMS, records__status="active"),
            )
        )
        .order_by("-breaches", "name")
    )


def government_records(subject: Subject) -> QuerySet[Record]:
    return (
        Record.objects.live()
        .filter(subject=subject, item__code__in=GOVERNMENT_ITEMS)
        .select_related("item", "department")
        .order_by("-decision_date", "-pk")
    )


# -- complaints ------------------------------------------------------------------------


def complaint_queue_for(user: User, *, status: str = "") -> QuerySet[GovComplaint]:
    """The credit office sees every complaint, a department those routed to it."""
    qs = GovComplaint.objects.select_related("department", "subject")
    if not user.is_credit_office:
        qs = qs.filter(department_id=user.department_id or 0)
    if status in GovComplaint.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "accept_due", "pk")


def complaint_overdue(qs: QuerySet[GovComplaint]) -> QuerySet[GovComplaint]:
    """Complaints past their deadline today: not accepted or refused by
    `accept_due`, or not closed by `handle_due`."""
    today = clock.today()
    return qs.filter(
        Q(status=GovComplaint.Status.SUBMITTED, accept_due__lt=today)
        | Q(status=GovComplaint.Status.ACCEPTED, handle_due__lt=today)
    )


def complaint_by_secret(*, number: str, secret: str) -> GovComplaint:
    """The complaint whose number and secret match, for its public status
    page; 404 for either wrong, at the same cost (one digest compared in
    constant time whether or not the number exists)."""
    complaint = (
        GovComplaint.objects.select_related("department")
        .filter(number=(number or "").strip().upper()[:32])
        .first()
    )
    probe = complaint or GovComplaint(secret_digest="0" * 64)
    if not secret_matches(probe, secret) or complaint is None:
        raise NotFoundError("not_found", _("未找到该投诉，请核对投诉编号和查询密码"))
    return complaint


def complaint_get_for(user: User, pk: int) -> GovComplaint:
    complaint = (
        GovComplaint.objects.select_related("department", "subject")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
    if complaint is None or not (
        user.is_credit_office
        or (
            complaint.department_id is not None
            and can_access_department(user, complaint.department_id)
        )
    ):
        raise NotFoundError("not_found", _("未找到该投诉，或您无权访问"))
    return complaint


# -- 个人诚信 ----------------------------------------------------------------------------


Reader = User | ApiToken


def readable_items(reader: Reader) -> QuerySet[CatalogItem]:
    """The restricted items whose records `reader` may read: a user as
    `catalog.permissions.can_read_restricted` says; a department's API token
    as its department (the credit office's token reads all)."""
    qs = CatalogItem.objects.filter(is_restricted=True)
    if isinstance(reader, ApiToken):
        if not reader.is_active:
            return qs.none()
        if reader.department.kind == Department.Kind.CREDIT_OFFICE:
            return qs
        return qs.filter(readers=reader.department_id)
    if not (reader.is_authenticated and reader.is_active):
        return qs.none()
    if reader.is_credit_office:
        return qs
    if reader.department_id is None or not can_access_department(reader, reader.department_id):
        return qs.none()
    return qs.filter(readers=reader.department_id)


def _reads_all(reader: Reader) -> bool:
    if isinstance(reader, ApiToken):
        return reader.department.kind == Department.Kind.CREDIT_OFFICE
    return reader.is_credit_office


def person_by_id_number(id_number: str) -> Subject:
    """A natural person by resident ID number (matched by its keyed digest)."""
    check = check_resident_id(id_number or "")
    if not check.valid:
        raise ApplicationError(
            "invalid_code",
            _("身份证号码：%(why)s") % {"why": "；".join(check.errors)},
            {"id_number": "invalid"},
        )
    subject = (
        Subject.objects.live()
        .filter(kind=Subject.Kind.PERSON, id_digest=id_digest(check.normalized))
        .first()
    )
    if subject is None:
        raise NotFoundError("not_found", _("未找到该自然人的诚信记录，或您无权查阅"))
    return subject


def _integrity_records(user: Reader, subject: Subject) -> list[Record]:
    return list(
        Record.objects.live()
        .filter(subject=subject, item__in=readable_items(user))
        .select_related("item", "department", "version")
        .order_by("item__code", "-decision_date", "-pk")
    )


@dataclass(frozen=True, slots=True)
class IntegrityFile:
    subject: Subject
    records: list[Record]
    groups: list[CatalogItem]  # the groups the viewer may read


def _file_contents(user: Reader, subject: Subject) -> tuple[list[CatalogItem], list[Record]]:
    """The groups `user` reads and the person's records in them; "not found"
    as `integrity_file` says (nothing read is audited: nothing is shown)."""
    groups = list(readable_items(user).filter(code__in=PERSONAL_ITEMS).order_by("code"))
    if not groups or subject.kind != Subject.Kind.PERSON:
        raise NotFoundError("not_found", _("未找到该自然人的诚信记录，或您无权查阅"))
    records = [r for r in _integrity_records(user, subject) if r.item.code in PERSONAL_ITEMS]
    if not records and not _reads_all(user):
        raise NotFoundError("not_found", _("未找到该自然人的诚信记录，或您无权查阅"))
    return groups, records


def person_file_for(user: Reader, id_number: str) -> Subject:
    """The person whose integrity file `user` may open, by resident ID number
    (the look-up page sends on to the file, which audits the read). "Not
    found" alike for a number of no one and for a person of whom `user` may
    read nothing: the look-up tells no one who is on the platform."""
    subject = person_by_id_number(id_number)
    _file_contents(user, subject)
    return subject


def integrity_file(
    *, user: Reader, subject: Subject, request: HttpRequest | None = None
) -> IntegrityFile:
    """A person's integrity records across the groups `user` may read, the
    view audited (one row naming the records shown). "Not found" to a user
    who may read no group, and for a subject that is not a person or of whom
    the user may read nothing (no probing who has a file)."""
    groups, records = _file_contents(user, subject)
    audit_record(
        actor=user,
        action=INTEGRITY_FILE_VIEW,
        obj=subject,
        object_label=f"{subject.name}（{subject.id_masked}）",
        after={"records": [r.pk for r in records], "items": sorted({r.item.code for r in records})},
        request=request,
    )
    return IntegrityFile(subject=subject, records=records, groups=groups)


def record_brief(record: Record) -> dict[str, Any]:
    return {
        "id": record.pk,
        "item": record.item.code,
        "item_name": record.item.name,
        "department": record.department.name,
        "doc_number": record.doc_number,
        "decision_date": record.decision_date.isoformat() if record.decision_date else None,
        "kind": record.data.get("record_kind", ""),
        "content": record.data.get("content", ""),
    }


@dataclass(slots=True)
class IntegrityCheck:
    outcome: CheckOutcome
    records: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {**self.outcome.as_dict(), "integrity_records": self.records}


def integrity_check(
    *,
    user: Reader,
    domain_code: str,
    matter: str,
    id_number: str,
    name: str = "",
    request: HttpRequest | None = None,
) -> IntegrityCheck:
    """The sanctions check of a person for 录用任用 or 评优表彰, plus the
    person's integrity records that the checking department may read. The
    check is logged and audited by `sanctions.check_run`; the integrity
    records shown are audited here."""
    code = (domain_code or "").strip().upper()
    if code not in INTEGRITY_DOMAINS:
        raise ApplicationError(
            "invalid_domain",
            _("核查领域：诚信核查只用于录用任用（RYLY）和评优表彰（PYBZ）"),
            {"domain": code},
        )
    outcome = check_run(
        actor=user,
        department=user.department,
        domain_code=code,
        matter=matter,
        query=matching.Query(id_number=(id_number or "").strip(), name=name or ""),
        channel=Check.Channel.API if isinstance(user, ApiToken) else Check.Channel.PAGE,
        request=request,
    )
    people = [m.subject_id for m in outcome.matches if m.subject_kind == Subject.Kind.PERSON]
    records = (
        list(
            Record.objects.live()
            .filter(
                subject_id__in=people,
                item__in=readable_items(user).filter(code__in=PERSONAL_ITEMS),
                status=Record.Status.ACTIVE,
            )
            .select_related("item", "department")
            .order_by("item__code", "-decision_date", "-pk")
        )
        if people
        else []
    )
    briefs = [record_brief(r) for r in records]
    audit_record(
        actor=user,
        action=INTEGRITY_CHECK,
        obj=outcome.check,
        object_label=outcome.check.query,
        after={"domain": code, "records": [r.pk for r in records]},
        request=request,
    )
    return IntegrityCheck(outcome=outcome, records=briefs)
