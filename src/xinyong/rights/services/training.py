"""Repair training (信用修复培训, issue 14 §6): sessions, enrolment (by staff,
or by the subject on the portal), attendance and a numbered certificate.

    已报名 ──▶ 已参训 (certificate number given)
       └────▶ 缺席
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, AuditActor, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError, required_text
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import can_access_department, ensure_department_access
from xinyong.rights.audit_actions import TRAINING_ENROL, TRAINING_MARK, TRAINING_SESSION_CREATE
from xinyong.rights.models import TrainingEnrolment, TrainingSession
from xinyong.rights.services.commitments import Signer, identify
from xinyong.subjects.models import Subject

Status = TrainingEnrolment.Status


@transaction.atomic
def training_session_create(
    *,
    actor: User,
    organiser: Department,
    title: str,
    held_on: dt.date,
    mode: str,
    place: str,
    capacity: int,
    request: HttpRequest | None = None,
) -> TrainingSession:
    """A session organised by `organiser` (the credit office or a department)."""
    ensure_department_access(actor, organiser)
    title = required_text(title, field="title", label=_("培训名称"))
    place = required_text(place, field="place", label=_("地点或线上地址"))
    if mode not in TrainingSession.Mode.values:
        raise ApplicationError("invalid_mode", _("形式：应为现场或线上"), {"mode": mode})
    if capacity < 1:
        raise ApplicationError("invalid_capacity", _("名额：至少为 1"), {"capacity": capacity})
    if held_on < clock.today():
        raise ApplicationError(
            "held_in_past", _("培训日期：不能早于今天"), {"held_on": held_on.isoformat()}
        )
    session = TrainingSession.objects.create(
        title=title, held_on=held_on, mode=mode, place=place, capacity=capacity,
        organiser=organiser, created_at=clock.now(),
    )  # fmt: skip
    audit_record(
        actor=actor,
        action=TRAINING_SESSION_CREATE,
        obj=session,
        after={"held_on": held_on.isoformat(), "capacity": capacity, "mode": mode},
        request=request,
    )
    return session


def _snapshot(e: TrainingEnrolment) -> dict[str, Any]:
    return {"status": e.status, "certificate_number": e.certificate_number}


def _enrol(
    *,
    actor: AuditActor,
    session: TrainingSession,
    subject: Subject,
    participant: str,
    phone: str,
    channel: str,
    request: HttpRequest | None,
) -> TrainingEnrolment:
    participant = required_text(participant, field="participant", label=_("参训人"))
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.held_on < clock.today():
        raise ApplicationError(
            "session_past", _("该培训已于 %(day)s 举行，不能再报名") % {"day": locked.held_on},
            status=409,
        )  # fmt: skip
    if TrainingEnrolment.objects.filter(session=locked, subject=subject).exists():
        raise ApplicationError(
            "already_enrolled", _("该信用主体已报名本期培训"), {"subject": subject.pk}, status=409
        )
    if TrainingEnrolment.objects.filter(session=locked).count() >= locked.capacity:
        raise ApplicationError(
            "session_full",
            _("本期培训名额（%(n)d 人）已满，请报名其他场次") % {"n": locked.capacity},
            {"capacity": locked.capacity},
            status=409,
        )
    enrolment = TrainingEnrolment.objects.create(
        session=locked, subject=subject, participant=participant, phone=phone.strip(),
        channel=channel, enrolled_at=clock.now(),
    )  # fmt: skip
    audit_record(
        actor=actor, action=TRAINING_ENROL, obj=enrolment, after=_snapshot(enrolment),
        request=request,
    )  # fmt: skip
    return enrolment


@transaction.atomic
def training_enrol(
    *,
    actor: User,
    session: TrainingSession,
    subject: Subject,
    participant: str,
    phone: str = "",
    request: HttpRequest | None = None,
) -> TrainingEnrolment:
    """Staff of the organiser (or the credit office) enrol a subject."""
    ensure_department_access(actor, session.organiser)
    return _enrol(
        actor=actor, session=session, subject=subject, participant=participant, phone=phone,
        channel=TrainingEnrolment.Channel.STAFF, request=request,
    )  # fmt: skip


@transaction.atomic
def training_enrol_public(
    *,
    session: TrainingSession,
    signer: Signer,
    participant: str,
    request: HttpRequest | None = None,
) -> TrainingEnrolment:
    """A subject enrols itself on the portal, with the identity check of the
    commitment form (a company by USCC, a person by name and ID number); the
    subject must be in the registry (it has something to repair)."""
    who = identify(signer, department_id=session.organiser_id, register=False)
    return _enrol(
        actor=Actor(kind=ActorKind.ANONYMOUS, label=_("公众（%(n)s）") % {"n": signer.name[:50]}),
        session=session, subject=who.subject, participant=participant, phone=signer.phone,
        channel=TrainingEnrolment.Channel.PORTAL, request=request,
    )  # fmt: skip


def certificate_number(enrolment: TrainingEnrolment) -> str:
    """`XFPX` + the session's date + the enrolment's id: unique and readable."""
    return f"XFPX{enrolment.session.held_on:%Y%m%d}{enrolment.pk:06d}"


@transaction.atomic
def training_mark(
    *,
    actor: User,
    enrolment: TrainingEnrolment,
    attended: bool,
    request: HttpRequest | None = None,
) -> TrainingEnrolment:
    """Attendance, on or after the session's day: 已参训 (with its certificate
    number) or 缺席. Marked once; a wrong mark is not changed here."""
    if not can_access_department(actor, enrolment.session.organiser_id):
        raise NotFoundError("not_found", _("未找到该培训报名，或您无权访问"))
    locked = (
        TrainingEnrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
    )
    if locked.status != Status.ENROLLED:
        raise ApplicationError(
            "wrong_status",
            _("已登记为“%(s)s”，不能再次登记考勤") % {"s": locked.get_status_display()},
            {"status": locked.status},
            status=409,
        )
    if locked.session.held_on > clock.today():
        raise ApplicationError(
            "session_not_held",
            _("培训尚未举行（%(day)s），不能登记考勤") % {"day": locked.session.held_on},
            status=409,
        )
    before = _snapshot(locked)
    locked.status = Status.ATTENDED if attended else Status.ABSENT
    locked.certificate_number = certificate_number(locked) if attended else None
    locked.marked_on = clock.today()
    locked.save(update_fields=["status", "certificate_number", "marked_on"])
    audit_record(
        actor=actor, action=TRAINING_MARK, obj=locked, before=before, after=_snapshot(locked),
        request=request,
    )  # fmt: skip
    return locked
