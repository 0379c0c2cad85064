"""政府违约失信投诉: one service per transition (submit, accept, reject, close).

Permission first, then the checks, the transition with dates from
core.clock and deadlines from core.workdays, the audit row last.
"""

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, AuditAction, audit_record
from xinyong.core.errors import (
    ApplicationError,
    NotFoundError,
    plain_text,
    required_phone,
    required_text,
)
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.core.masking import mask_id_number
from xinyong.core.workdays import add_workdays
from xinyong.integrity.attachments import store_attachments
from xinyong.integrity.audit_actions import (
    COMPLAINT_ACCEPT,
    COMPLAINT_CLOSE,
    COMPLAINT_REJECT,
    COMPLAINT_SUBMIT,
    COMPLAINT_VIEW,
)
from xinyong.integrity.complaint_effects import breach_record, secret_digest, tell_complainant
from xinyong.integrity.models import (
    ACCEPT_WITHIN_WORKDAYS,
    HANDLE_WITHIN_WORKDAYS,
    GovComplaint,
)
from xinyong.orgs.models import Department, User
from xinyong.orgs.notices import notice_send
from xinyong.orgs.permissions import can_access_department, ensure_credit_office
from xinyong.rights.attachments import check_attachments
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.subjects.models import GOVERNMENT_CATEGORIES, Subject

Status = GovComplaint.Status


@dataclass(frozen=True, slots=True)
class Complainant:
    name: str
    kind: str  # GovComplaint.ComplainantKind
    code: str  # a USCC or a resident ID number
    phone: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class Filed:
    """A new complaint and the secret shown to the complainant once."""

    complaint: GovComplaint
    secret: str


def _plain_text(value: str, *, field: str, label: str) -> str:
    """`required_text` and `plain_text`: the intake refuses hidden characters in the
    政务失信 record that a substantiated complaint becomes, so they are refused here."""
    return plain_text(required_text(value, field=field, label=label), field=field, label=label)


def _complainant_code(complainant: Complainant) -> str:
    """The complainant's code as kept: a valid USCC, or a valid resident ID masked."""
    code = complainant.code.strip().upper()
    if complainant.kind == GovComplaint.ComplainantKind.LEGAL:
        if not check_uscc(code).valid:
            raise ApplicationError(
                "invalid_code",
                _("投诉人证件号码：不是有效的统一社会信用代码"),
                {"complainant.code": "invalid"},
                status=422,
            )
        return code
    if complainant.kind != GovComplaint.ComplainantKind.PERSON:
        raise ApplicationError(
            "invalid_kind", _("投诉人类别：请选择单位或个人"), {"complainant.kind": "invalid"}
        )
    if not check_resident_id(code).valid:
        raise ApplicationError(
            "invalid_code",
            _("投诉人证件号码：不是有效的居民身份证号码"),
            {"complainant.code": "invalid"},
            status=422,
        )
    return mask_id_number(code)


def _body_uscc(raw: str) -> str:
    """The complained-of body's USCC: valid, and of a 机关 or 事业单位."""
    check = check_uscc(raw)
    if not check.valid:
        raise ApplicationError(
            "invalid_body_code",
            _("被投诉单位统一社会信用代码：不是有效的统一社会信用代码"),
            {"body_uscc": "invalid"},
            status=422,
        )
    code = check.normalized
    if code[0] != "1" or code[1] not in GOVERNMENT_CATEGORIES:
        raise ApplicationError(
            "not_government",
            _("被投诉单位须为机关或事业单位（统一社会信用代码以 11 或 12 开头）"),
            {"body_uscc": "not_government"},
            status=422,
        )
    return code


def _email(raw: str) -> str:
    """The optional email, checked (an invalid one refused with its field)."""
    email = (raw or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            "invalid_email", _("电子邮箱：格式不正确"), {"complainant.email": "invalid"}
        ) from None
    return email[:254]


def snapshot(complaint: GovComplaint) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "status": complaint.status,
        "department": complaint.department_id,
        "accept_due": iso(complaint.accept_due),
        "handle_due": iso(complaint.handle_due),
        "accepted_on": iso(complaint.accepted_on),
        "closed_on": iso(complaint.closed_on),
        "outcome": complaint.outcome,
        "breach_record": complaint.breach_record_id,
    }


def _audit(
    actor: User | Actor,
    complaint: GovComplaint,
    action: AuditAction,
    before: dict[str, Any] | None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=complaint,
        object_label=str(complaint),
        before=before,
        after=snapshot(complaint),
        reason=reason,
        request=request,
    )


@transaction.atomic
def complaint_submit(
    *,
    complainant: Complainant,
    body_name: str,
    body_uscc: str,
    contract: str,
    facts: str,
    attachments: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Filed:
    """File a complaint of government breach without an account (portal).
    Answers the complaint and its secret (only the secret's digest is kept)."""
    ensure_within_rate(request, scope="integrity.complaint")
    name = _plain_text(complainant.name, field="complainant.name", label=_("投诉人名称"))
    required_text(complainant.code, field="complainant.code", label=_("投诉人证件号码"))
    phone = required_phone(complainant.phone, field="complainant.phone", label=_("联系电话"))
    body_name = _plain_text(body_name, field="body_name", label=_("被投诉单位"))
    required_text(body_uscc, field="body_uscc", label=_("被投诉单位统一社会信用代码"))
    contract = _plain_text(contract, field="contract", label=_("合同或承诺"))
    facts = _plain_text(facts, field="facts", label=_("违约失信事实"))
    email = _email(complainant.email)
    code = _complainant_code(complainant)
    uscc = _body_uscc(body_uscc)
    types = check_attachments(attachments)
    today = clock.today()
    secret = secrets.token_urlsafe(18)
    complaint = GovComplaint.objects.create(
        number=f"tmp-{secrets.token_hex(8)}",
        secret_digest=secret_digest(secret),
        complainant_email=email,
        complainant_kind=complainant.kind,
        complainant_name=name[:200],
        complainant_code_masked=code,
        complainant_phone=phone[:30],
        body_name=body_name[:200],
        body_uscc=uscc,
        subject=Subject.objects.live().filter(uscc=uscc).first(),
        contract=contract[:300],
        facts=facts,
        filed_on=today,
        filed_at=clock.now(),
        accept_due=add_workdays(today, ACCEPT_WITHIN_WORKDAYS).date,
        updated_at=clock.now(),
    )
    complaint.number = f"ZWTS{today:%Y%m%d}{complaint.pk:06d}"
    complaint.save(update_fields=["number"])
    store_attachments(complaint, attachments, types)
    notice_send(
        department=None,
        title=_("新的政府违约失信投诉：%(body)s") % {"body": complaint.body_name},
        body=_("投诉编号 %(n)s，请于 %(due)s 前决定是否受理。")
        % {"n": complaint.number, "due": complaint.accept_due.isoformat()},
        link=reverse("integrity:complaint_detail", args=[complaint.pk]),
    )
    tell_complainant(complaint)
    actor = Actor(kind=ActorKind.ANONYMOUS, label=_("公众（%(name)s）") % {"name": name})
    _audit(actor, complaint, COMPLAINT_SUBMIT, None, request=request)
    return Filed(complaint=complaint, secret=secret)


def _lock(complaint: GovComplaint, *allowed: str, action: str) -> GovComplaint:
    locked = GovComplaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in allowed:
        raise ApplicationError(
            "invalid_status",
            _("该投诉当前状态为“%(status)s”，不能%(action)s")
            % {"status": locked.get_status_display(), "action": action},
            {"status": locked.status},
            status=409,
        )
    return locked


@transaction.atomic
def complaint_accept(
    *,
    actor: User,
    complaint: GovComplaint,
    department: Department,
    request: HttpRequest | None = None,
) -> GovComplaint:
    """The credit office accepts a complaint and routes it to a department;
    the handling deadline runs from today."""
    ensure_credit_office(actor)
    locked = _lock(complaint, Status.SUBMITTED, action=_("受理"))
    before = snapshot(locked)
    today = clock.today()
    locked.status = Status.ACCEPTED
    locked.department = department
    locked.accepted_on = today
    locked.handle_due = add_workdays(today, HANDLE_WITHIN_WORKDAYS).date
    locked.updated_at = clock.now()
    locked.save(update_fields=["status", "department", "accepted_on", "handle_due", "updated_at"])
    notice_send(
        department=department,
        title=_("政府违约失信投诉转办：%(body)s") % {"body": locked.body_name},
        body=_("投诉编号 %(n)s，请于 %(due)s 前办结并录入处理结果。")
        % {"n": locked.number, "due": locked.handle_due.isoformat()},
        link=reverse("integrity:complaint_detail", args=[locked.pk]),
        actor=actor,
    )
    tell_complainant(locked, actor=actor)
    _audit(actor, locked, COMPLAINT_ACCEPT, before, request=request)
    return locked


@transaction.atomic
def complaint_reject(
    *,
    actor: User,
    complaint: GovComplaint,
    reason: str,
    request: HttpRequest | None = None,
) -> GovComplaint:
    ensure_credit_office(actor)
    reason = required_text(reason, field="reason", label=_("不予受理理由"))
    locked = _lock(complaint, Status.SUBMITTED, action=_("不予受理"))
    before = snapshot(locked)
    locked.status = Status.REJECTED
    locked.refusal_reason = reason
    locked.closed_on = clock.today()
    locked.updated_at = clock.now()
    locked.save(update_fields=["status", "refusal_reason", "closed_on", "updated_at"])
    tell_complainant(locked, actor=actor)
    _audit(actor, locked, COMPLAINT_REJECT, before, reason=reason, request=request)
    return locked


@transaction.atomic
def complaint_close(
    *,
    actor: User,
    complaint: GovComplaint,
    outcome: str,
    note: str,
    request: HttpRequest | None = None,
) -> GovComplaint:
    """The handling department (or the credit office) records the outcome.
    投诉属实 creates the body's 政府违约失信 record (ZWSX_WY) through the intake,
    in the same transaction, linked from the complaint; other outcomes do not."""
    if complaint.department_id is None or not can_access_department(actor, complaint.department_id):
        raise NotFoundError("not_found", _("未找到该投诉，或您无权访问"))
    if outcome not in GovComplaint.Outcome.values or not outcome:
        raise ApplicationError(
            "outcome_required",
            _("处理结果：请选择投诉属实、部分属实或不属实"),
            {"outcome": "invalid"},
        )
    note = _plain_text(note, field="note", label=_("处理意见"))
    locked = _lock(complaint, Status.ACCEPTED, action=_("办结"))
    before = snapshot(locked)
    locked.status = Status.CLOSED
    locked.outcome = outcome
    locked.outcome_note = note
    locked.closed_on = clock.today()
    locked.updated_at = clock.now()
    if outcome == GovComplaint.Outcome.SUBSTANTIATED:
        locked.breach_record = breach_record(locked)
    locked.save(
        update_fields=[
            "status", "outcome", "outcome_note", "closed_on", "breach_record", "updated_at"
        ]
    )  # fmt: skip
    tell_complainant(locked, actor=actor)
    _audit(actor, locked, COMPLAINT_CLOSE, before, reason=note, request=request)
    return locked


def complaint_log_view(
    *, actor: User, complaint: GovComplaint, request: HttpRequest | None = None
) -> None:
    """A complaint names its complainant (phone, masked ID): each view is logged."""
    audit_record(
        actor=actor,
        action=COMPLAINT_VIEW,
        obj=complaint,
        object_label=str(complaint),
        request=request,
    )
