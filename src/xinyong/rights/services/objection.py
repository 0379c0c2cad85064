"""The objection workflow: filing without an account, then one service per
transition (atomic, permission first, row locked and status checked, dates
from core.clock, deadlines from core.workdays, outbox row, audit row last)."""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, AuditAction, audit_record
from xinyong.core.errors import (
    ApplicationError,
    NotFoundError,
    PermissionDeniedError,
    required_phone,
    required_text,
)
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.core.masking import mask_id_number
from xinyong.core.outbox import outbox_enqueue
from xinyong.core.workdays import add_workdays
from xinyong.orgs.models import User
from xinyong.orgs.permissions import can_access_department, ensure_credit_office
from xinyong.records.corrections import record_correct
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.rights.attachments import check_attachments, store_attachments
from xinyong.rights.audit_actions import (
    OBJECTION_ACCEPT,
    OBJECTION_CLOSE,
    OBJECTION_REFUSE,
    OBJECTION_REQUEST_MORE,
    OBJECTION_ROUTE,
    OBJECTION_SUBMIT,
    OBJECTION_VERIFY,
)
from xinyong.rights.models import Objection
from xinyong.rights.services import notify
from xinyong.rights.services.objection_lists import entries_resume, entries_suspend
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key

OUTBOX_TOPIC = "rights.objection"
# What a refused or upheld applicant may still do (行政复议法 art. 11, 行政诉讼法 art. 12).
DEFAULT_REMEDIES = (
    "对答复不服的，可自收到答复之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。"
)
Status = Objection.Status


@dataclass(frozen=True, slots=True)
class Applicant:
    name: str
    kind: str  # Objection.ApplicantKind
    code: str  # a USCC or a resident ID number
    phone: str
    email: str = ""  # optional: where each step is told (services.notify)


@dataclass(frozen=True, slots=True)
class Filed:
    """A new objection and the secret shown to the applicant once."""

    objection: Objection
    secret: str


def _secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(objection: Objection, secret: str) -> bool:
    """Constant-time comparison of the digest of `secret` with the stored one."""
    return hmac.compare_digest(_secret_digest(secret or ""), objection.secret_digest)


def _identity_error() -> ApplicationError:
    # One message for every mismatch: the form must not tell which part was wrong.
    return ApplicationError(
        "identity_mismatch",
        _("申请人身份核验未通过：仅信息主体本人（单位）可提出异议，请核对名称和证件号码"),
        {"applicant": "mismatch"},
        status=422,
    )


def _check_identity(applicant: Applicant, subject: Subject | None) -> str:
    """The applicant must be the record's subject: a company by its USCC, a
    person by name and resident ID number (matched against the subject's keyed
    digest; the number itself is never stored). Returns the code as kept."""
    code = applicant.code.strip().upper()
    if applicant.kind == Objection.ApplicantKind.LEGAL:
        if not check_uscc(code).valid:
            raise ApplicationError(
                "invalid_code",
                _("申请人证件号码：不是有效的统一社会信用代码"),
                {"applicant.code": "invalid"},
                status=422,
            )
        if subject is None or not subject.uscc or subject.uscc != code:
            raise _identity_error()
        return code
    if not check_resident_id(code).valid:
        raise ApplicationError(
            "invalid_code",
            _("申请人证件号码：不是有效的居民身份证号码"),
            {"applicant.code": "invalid"},
            status=422,
        )
    if (
        subject is None
        or not subject.id_digest
        or not hmac.compare_digest(subject.id_digest, id_digest(code))
        or name_key(subject.name) != name_key(applicant.name)
    ):
        raise _identity_error()
    return mask_id_number(code)


def _email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ApplicationError(
            "invalid_email",
            _("电子邮箱：格式不正确"),
            {"applicant.email": "invalid"},
            status=422,
        ) from None
    return value


def _number(objection: Objection) -> str:
    return f"YY{objection.filed_on:%Y%m%d}{objection.pk:06d}"


def snapshot(objection: Objection) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "status": objection.status,
        "accept_due": iso(objection.accept_due),
        "verify_due": iso(objection.verify_due),
        "reply_due": iso(objection.reply_due),
        "accepted_on": iso(objection.accepted_on),
        "routed_on": iso(objection.routed_on),
        "verified_on": iso(objection.verified_on),
        "closed_on": iso(objection.closed_on),
    }


def _finish(
    *,
    actor: User | Actor,
    objection: Objection,
    before: dict[str, Any] | None,
    fields: list[str],
    action: AuditAction,
    event: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Objection:
    objection.updated_at = clock.now()
    objection.save(update_fields=[*fields, "updated_at"])
    outbox_enqueue(
        topic=OUTBOX_TOPIC,
        key=f"Objection:{objection.pk}",
        payload={
            "event": event,
            "number": objection.number,
            "record_id": objection.record_id,
            "department_id": objection.department_id,
            "reply": objection.reply,
            "refusal_reason": objection.refusal_reason,
            **snapshot(objection),
        },
        idempotency_key=f"{OUTBOX_TOPIC}:{objection.pk}:{event}:{objection.updated_at.isoformat()}",
        department_id=objection.department_id,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=objection,
        before=before,
        after=snapshot(objection),
        reason=reason,
        request=request,
    )
    return objection


def _set_disputed(record_id: int, value: bool) -> None:
    Record.objects.filter(pk=record_id).update(disputed=value, updated_at=clock.now())


@transaction.atomic
def objection_submit(
    *,
    record_id: int,
    applicant: Applicant,
    reason: str,
    attachments: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Filed:
    """File an objection against a public record without an account. The
    applicant must be the record's subject (an agent with an authorisation
    letter is not handled yet). Answers the tracking number and the secret."""
    name = required_text(applicant.name, field="applicant.name", label=_("申请人名称"))
    required_text(applicant.code, field="applicant.code", label=_("证件号码"))
    phone = required_phone(applicant.phone, field="applicant.phone", label=_("联系电话"))
    reason = required_text(reason, field="reason", label=_("异议理由"))
    email = _email(applicant.email)
    types = check_attachments(attachments)
    record = (
        Record.objects.publicly_visible().select_related("subject").filter(pk=record_id).first()
    )
    if record is None:
        raise NotFoundError("record_not_found", _("未找到该公示记录"), {"record_id": record_id})
    code = _check_identity(applicant, record.subject)
    if (
        Objection.objects.filter(record=record, applicant_code_masked=code)
        .exclude(status__in=Objection.FINAL)
        .exists()
    ):
        raise ApplicationError(
            "already_open",
            _("您对该记录的异议申请正在办理中，请勿重复提交"),
            {"record_id": record_id},
            status=409,
        )
    today = clock.today()
    # Abuse per subject (the per-address limit is the caller's: rights.ratelimit).
    filed_today = Objection.objects.filter(record__subject=record.subject, filed_on=today).count()
    if filed_today >= settings.XINYONG_OBJECTION_SUBJECT_DAILY:
        raise ApplicationError(
            "subject_rate_limited",
            _("该信息主体今日提交的异议申请已达 %(n)d 件，请明日再试或到信用办现场办理")
            % {"n": settings.XINYONG_OBJECTION_SUBJECT_DAILY},
            {"limit_per_day": settings.XINYONG_OBJECTION_SUBJECT_DAILY},
            status=429,
        )
    secret = secrets.token_urlsafe(18)
    objection = Objection(
        number=f"tmp-{secrets.token_hex(8)}",
        secret_digest=_secret_digest(secret),
        record=record,
        department_id=record.department_id,
        applicant_kind=applicant.kind,
        applicant_name=name,
        applicant_code_masked=code,
        applicant_phone=phone,
        applicant_email=email,
        reason=reason,
        filed_on=today,
        filed_at=clock.now(),
        accept_due=add_workdays(today, settings.XINYONG_OBJECTION_ACCEPT_WORKDAYS).date,
        reply_due=add_workdays(today, settings.XINYONG_OBJECTION_REPLY_WORKDAYS).date,
        updated_at=clock.now(),
    )
    objection.save()
    objection.number = _number(objection)
    # Written before the commit: a rolled-back filing leaves an orphan
    # encrypted file without a row, never a row without its file.
    store_attachments(objection, attachments, types)
    _finish(
        actor=Actor(kind=ActorKind.ANONYMOUS, label=_("公众（%(name)s）") % {"name": name}),
        objection=objection,
        before=None,
        fields=["number"],
        action=OBJECTION_SUBMIT,
        event="submit",
        request=request,
    )
    return Filed(objection=objection, secret=secret)


def _lock(objection: Objection) -> Objection:
    return Objection.objects.select_for_update().select_related("record").get(pk=objection.pk)


def _ensure_status(objection: Objection, *allowed: str, action: str) -> None:
    if objection.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("该异议当前状态为“%(status)s”，不能%(action)s")
            % {"status": objection.get_status_display(), "action": action},
            {"status": objection.status},
            status=409,
        )


def ensure_objection_access(actor: User, objection: Objection) -> None:
    """The providing department's staff and the credit office see an objection;
    anyone else is told it does not exist."""
    if not can_access_department(actor, objection.department_id):
        raise NotFoundError("not_found", _("未找到该异议申请，或您无权访问"))


def _ensure_credit_office(actor: User, objection: Objection) -> None:
    ensure_objection_access(actor, objection)
    try:
        ensure_credit_office(actor)
    except PermissionDeniedError as exc:
        raise PermissionDeniedError("forbidden", _("异议的受理和答复由信用办办理")) from exc


@transaction.atomic
def objection_accept(
    *, actor: User, objection: Objection, request: HttpRequest | None = None
) -> Objection:
    """受理 (the credit office): the record is marked 异议处理中 from now."""
    _ensure_credit_office(actor, objection)
    locked = _lock(objection)
    _ensure_status(locked, Status.FILED, Status.NEEDS_MORE, action=_("受理"))
    before = snapshot(locked)
    locked.status = Status.ACCEPTED
    locked.accepted_on = clock.today()
    _set_disputed(locked.record_id, True)
    notify.tell_applicant(locked)
    entries_suspend(locked)
    return _finish(
        actor=actor, objection=locked, before=before, fields=["status", "accepted_on"],
        action=OBJECTION_ACCEPT, event="accept", request=request,
    )  # fmt: skip


@transaction.atomic
def objection_refuse(
    *, actor: User, objection: Objection, reason: str, request: HttpRequest | None = None
) -> Objection:
    """不予受理 (the credit office), with the reason and the remedies."""
    _ensure_credit_office(actor, objection)
    reason = required_text(reason, field="reason", label=_("不予受理理由"))
    locked = _lock(objection)
    _ensure_status(locked, Status.FILED, Status.NEEDS_MORE, action=_("不予受理"))
    before = snapshot(locked)
    locked.status = Status.REFUSED
    locked.refusal_reason = reason
    locked.remedies = str(DEFAULT_REMEDIES)
    locked.closed_on = clock.today()
    notify.tell_applicant(locked)
    return _finish(
        actor=actor, objection=locked, before=before,
        fields=["status", "refusal_reason", "remedies", "closed_on"],
        action=OBJECTION_REFUSE, event="refuse", reason=reason, request=request,
    )  # fmt: skip


@transaction.atomic
def objection_request_more(
    *, actor: User, objection: Objection, note: str, request: HttpRequest | None = None
) -> Objection:
    """补正 (the credit office): the applicant is asked for more material."""
    _ensure_credit_office(actor, objection)
    note = required_text(note, field="note", label=_("补正要求"))
    locked = _lock(objection)
    _ensure_status(locked, Status.FILED, action=_("要求补正"))
    before = snapshot(locked)
    locked.status = Status.NEEDS_MORE
    locked.needs_more_note = note
    notify.tell_applicant(locked)
    return _finish(
        actor=actor, objection=locked, before=before, fields=["status", "needs_more_note"],
        action=OBJECTION_REQUEST_MORE, event="request_more", reason=note, request=request,
    )  # fmt: skip


@transaction.atomic
def objection_route(
    *, actor: User, objection: Objection, request: HttpRequest | None = None
) -> Objection:
    """核查中 (the credit office): sent to the providing department, which
    verifies within `XINYONG_OBJECTION_VERIFY_WORKDAYS` working days."""
    _ensure_credit_office(actor, objection)
    locked = _lock(objection)
    _ensure_status(locked, Status.ACCEPTED, action=_("转交核查"))
    before = snapshot(locked)
    today = clock.today()
    locked.status = Status.VERIFYING
    locked.routed_on = today
    locked.verify_due = add_workdays(today, settings.XINYONG_OBJECTION_VERIFY_WORKDAYS).date
    notify.tell_department_routed(locked)
    return _finish(
        actor=actor, objection=locked, before=before, fields=["status", "routed_on", "verify_due"],
        action=OBJECTION_ROUTE, event="route", request=request,
    )  # fmt: skip


OUTCOMES = (Status.CORRECTED, Status.UPHELD, Status.REVOKED)


@transaction.atomic
def objection_verify(
    *,
    actor: User,
    objection: Objection,
    outcome: str,
    note: str,
    corrections: Mapping[str, str] | None = None,
    request: HttpRequest | None = None,
) -> Objection:
    """The providing department's conclusion: 更正 (the record is wrong: the
    `corrections`, field → corrected value, make a new revision of it now,
    `records.corrections.record_correct`, with the objection's number and
    the note as the reason shown on the portal, the API and the feed), 维持
    (the record stands) or 撤销 (the record is withdrawn now,
    `records.services.record_withdraw`, with the note as its reason)."""
    ensure_objection_access(actor, objection)
    if outcome not in OUTCOMES:
        raise ApplicationError(
            "invalid_outcome", _("核查结论：应为更正、维持或撤销"), {"outcome": outcome}
        )
    note = required_text(note, field="note", label=_("核查意见"))
    if outcome == Status.CORRECTED and not corrections:
        raise ApplicationError(
            "corrections_required",
            _("更正内容：核查结论为更正的，请填写需更正的字段和更正后的内容"),
            {"corrections": "required"},
        )
    locked = _lock(objection)
    _ensure_status(locked, Status.VERIFYING, action=_("作出核查结论"))
    before = snapshot(locked)
    if outcome == Status.CORRECTED and corrections:
        record_correct(
            actor=actor,
            record=locked.record,
            changes=corrections,
            reason=_("异议核实后更正（%(number)s）：%(note)s")
            % {"number": locked.number, "note": note},
            request=request,
        )
    if outcome == Status.REVOKED:
        record_withdraw(
            actor=actor,
            record=locked.record,
            reason=_("异议核查后撤销（%(number)s）：%(note)s")
            % {"number": locked.number, "note": note},
            request=request,
        )
    locked.status = outcome
    locked.verification_note = note
    locked.verified_on = clock.today()
    notify.tell_office_verified(locked)
    return _finish(
        actor=actor, objection=locked, before=before,
        fields=["status", "verification_note", "verified_on"],
        action=OBJECTION_VERIFY, event="verify", reason=note, request=request,
    )  # fmt: skip


@transaction.atomic
def objection_close(
    *, actor: User, objection: Objection, reply: str, request: HttpRequest | None = None
) -> Objection:
    """已办结 (the credit office): the reply to the applicant; the record's
    异议处理中 mark ends. A 维持 reply carries the remedies."""
    _ensure_credit_office(actor, objection)
    reply = required_text(reply, field="reply", label=_("答复意见"))
    locked = _lock(objection)
    _ensure_status(locked, *OUTCOMES, action=_("办结"))
    before = snapshot(locked)
    if locked.status == Status.UPHELD:
        locked.remedies = str(DEFAULT_REMEDIES)
    locked.reply = reply
    locked.status = Status.CLOSED
    locked.closed_on = clock.today()
    if (
        not Objection.objects.filter(record_id=locked.record_id, status__in=Objection.OPEN_ACCEPTED)
        .exclude(pk=locked.pk)
        .exists()
    ):
        _set_disputed(locked.record_id, False)
        entries_resume(locked)
    notify.tell_applicant(locked)
    return _finish(
        actor=actor, objection=locked, before=before,
        fields=["status", "reply", "remedies", "closed_on"],
        action=OBJECTION_CLOSE, event="close", reason=reply, request=request,
    )  # fmt: skip
