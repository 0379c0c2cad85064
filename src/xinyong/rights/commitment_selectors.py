"""Reads of commitments and repair training: the staff queues (department
scope), the public shape of a published commitment (persons masked), and
sessions open to enrolment."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.masking import mask_person_name
from xinyong.orgs.models import User
from xinyong.rights.models import (
    Commitment,
    CommitmentUpload,
    TrainingEnrolment,
    TrainingSession,
)
from xinyong.rights.services.commitments import ensure_commitment_access
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject


def commitment_queue(*, user: User, type: str = "", status: str = "") -> QuerySet[Commitment]:
    qs = Commitment.objects.select_related("department", "subject")
    if not user.is_credit_office:
        qs = qs.filter(department_id=user.department_id or 0)
    if type:
        qs = qs.filter(type=type)
    if status:
        qs = qs.filter(status=status)
    return qs


def commitment_for_staff(*, user: User, pk: int) -> Commitment:
    c = (
        Commitment.objects.select_related("department", "subject", "text", "breach_record")
        .filter(pk=pk)
        .first()
    )
    if c is None:
        raise NotFoundError("not_found", _("未找到该信用承诺，或您无权访问"))
    ensure_commitment_access(user, c)
    return c


def upload_for_staff(*, user: User, pk: int) -> CommitmentUpload:
    upload = CommitmentUpload.objects.select_related("department").filter(pk=pk).first()
    if upload is None or not (user.is_credit_office or upload.department_id == user.department_id):
        raise NotFoundError("not_found", _("未找到该上传批次，或您无权访问"))
    return upload


@dataclass(frozen=True, slots=True)
class PublicCommitment:
    """What the portal shows of a published commitment: a person's name masked,
    a person's ID number never; a company's name and USCC in clear."""

    number: str
    type_label: str
    subject_id: int
    name: str
    code: str
    matter: str
    signed_on: dt.date
    status_label: str
    department: str
    # A person has no public subject page: no link to it.
    has_page: bool


def public_view(c: Commitment) -> PublicCommitment:
    person = c.signer_kind == Commitment.SignerKind.PERSON
    return PublicCommitment(
        number=c.number,
        type_label=c.get_type_display(),
        subject_id=c.subject_id,
        name=mask_person_name(c.signer_name) if person else c.signer_name,
        code="" if person else c.signer_code_masked,
        matter=c.matter,
        signed_on=c.signed_on,
        status_label=c.get_status_display(),
        department=c.department.name,
        has_page=not person,
    )


def commitments_published(*, type: str = "", subject_id: int | None = None) -> QuerySet[Commitment]:
    """Published commitments (主动型, 信用修复型), newest first."""
    qs = Commitment.objects.filter(is_published=True).select_related("department")
    if type:
        qs = qs.filter(type=type)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    return qs.order_by("-signed_on", "-id")


def subject_for_code(value: str) -> Subject | None:
    """A subject by its USCC or a person's resident ID number (matched on the digest)."""
    value = (value or "").strip().upper()
    if not value:
        return None
    if check_resident_id(value).valid:
        return Subject.objects.live().filter(id_digest=id_digest(value)).first()
    return Subject.objects.live().filter(uscc=value).first()


def sessions_for(user: User) -> QuerySet[TrainingSession]:
    qs = TrainingSession.objects.select_related("organiser").annotate(
        enrolled=Count("enrolments"),
        attended=Count("enrolments", filter=Q(enrolments__status="attended")),
    )
    if not user.is_credit_office:
        qs = qs.filter(organiser_id=user.department_id or 0)
    return qs


def session_for_staff(*, user: User, pk: int) -> TrainingSession:
    session = sessions_for(user).filter(pk=pk).first()
    if session is None:
        raise NotFoundError("not_found", _("未找到该培训，或您无权访问"))
    return session


def enrolment_for_staff(*, user: User, pk: int) -> TrainingEnrolment:
    e = (
        TrainingEnrolment.objects.select_related("session", "session__organiser", "subject")
        .filter(pk=pk)
        .first()
    )
    if e is None or not (user.is_credit_office or e.session.organiser_id == user.department_id):
        raise NotFoundError("not_found", _("未找到该培训报名，或您无权访问"))
    return e


def sessions_open() -> QuerySet[TrainingSession]:
    """Sessions from today on, for the portal's enrolment."""
    return (
        TrainingSession.objects.filter(held_on__gte=clock.today())
        .select_related("organiser")
        .annotate(enrolled=Count("enrolments"))
        .order_by("held_on", "id")
    )
