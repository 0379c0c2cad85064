"""Credit commitments (信用承诺, issue 14 §5): texts as versioned data, a
commitment recorded from the portal, a department's upload or its system's
API, and its fulfilment: kept (已履约) or breached (违诺), a breach creating
a 违背信用承诺 record through the catalog and the intake path, so that it is
validated, resolved to its subject and given its disclosure window like any
record.

Identity (as for objections, `services.objection`): a company by its USCC
(checked) with a contact, a person by name and resident ID number (checked;
the number is kept masked on the commitment, matched on the subject's keyed
digest, and stored encrypted on the subject only, by the subject registry).
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, AuditActor, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError, required_phone, required_text
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.core.masking import mask_id_number
from xinyong.core.outbox import outbox_enqueue
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import can_access_department, ensure_credit_office
from xinyong.rights.audit_actions import (
    COMMITMENT_SIGN,
    COMMITMENT_TEXT_PUBLISH,
)
from xinyong.rights.commitment_models import PUBLISHED_TYPES
from xinyong.rights.models import (
    Commitment,
    CommitmentText,
    CommitmentType,
    CommitmentUpload,
    Repair,
)
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key
from xinyong.subjects.services import SubjectCandidate, subject_resolve_bulk

# The built-in catalog item a breach is recorded under (catalog/data/builtin_items.json).
BREACH_ITEM = "WBXYCN"
# The types a subject may sign on the portal by itself; the others belong to a
# department's procedure (a licence, a tolerated gap) and come from it.
PUBLIC_TYPES = (CommitmentType.VOLUNTARY, CommitmentType.REPAIR)
Status = Commitment.Status
# The provincial platform learns of each commitment signed, kept or breached.
OUTBOX_TOPIC = "rights.commitment"


@dataclass(frozen=True, slots=True)
class Signer:
    kind: str  # Commitment.SignerKind
    name: str
    code: str  # a USCC or a resident ID number
    phone: str
    contact_name: str = ""
    email: str = ""


def _identity_error() -> ApplicationError:
    return ApplicationError(
        "identity_mismatch",
        _("承诺主体身份核验未通过：请核对名称和证件号码"),
        {"signer": "mismatch"},
        status=422,
    )


@dataclass(frozen=True, slots=True)
class Identified:
    subject: Subject
    code_kept: str  # the USCC, or the masked ID number


def identify(signer: Signer, *, department_id: int, register: bool = True) -> Identified:
    """Check the signer's identity and find its subject. A company: a valid
    USCC. A person: a valid resident ID number, and if the registry knows the
    number, the same name. `register`: a subject the registry does not know
    is registered (a department's papers and systems); without it (what
    anyone may send on the portal) the subject must be known already, so
    that anonymous input never adds subjects to the registry."""
    name = required_text(signer.name, field="signer.name", label=_("承诺主体名称"))
    code = required_text(signer.code, field="signer.code", label=_("证件号码")).upper()
    required_phone(signer.phone, field="signer.phone", label=_("联系电话"))
    if signer.kind == Commitment.SignerKind.LEGAL:
        if not check_uscc(code).valid:
            raise ApplicationError(
                "invalid_code",
                _("证件号码：不是有效的统一社会信用代码"),
                {"signer.code": "invalid"},
                status=422,
            )
        candidate = SubjectCandidate(kind=Subject.Kind.LEGAL, name=name, uscc=code)
        known = Subject.objects.live().filter(uscc=code).first()
        kept = code
    elif signer.kind == Commitment.SignerKind.PERSON:
        if not check_resident_id(code).valid:
            raise ApplicationError(
                "invalid_code",
                _("证件号码：不是有效的居民身份证号码"),
                {"signer.code": "invalid"},
                status=422,
            )
        known = Subject.objects.live().filter(id_digest=id_digest(code), kind="person").first()
        if known is not None and name_key(known.name) != name_key(name):
            raise _identity_error()
        candidate = SubjectCandidate(kind=Subject.Kind.PERSON, name=name, id_number=code)
        kept = mask_id_number(code)
    else:
        raise ApplicationError(
            "invalid_kind", _("承诺主体类别：应为单位或个人"), {"signer.kind": "invalid"}
        )
    if not register:
        if known is None:
            raise ApplicationError(
                "subject_unknown",
                _("本平台尚无该信用主体的信息，请核对证件号码，或向受理部门现场提交"),
                {"signer.code": "unknown"},
                status=422,
            )
        return Identified(subject=known, code_kept=kept)
    (subject_id,) = subject_resolve_bulk(
        department_id=department_id, candidates=[candidate], source="commitment"
    )
    if subject_id is None:  # pragma: no cover - a name and a valid code always resolve
        raise _identity_error()
    return Identified(subject=Subject.objects.get(pk=subject_id), code_kept=kept)


def commitment_text_for(type_: str, on: dt.date) -> CommitmentText:
    """The version of `type_`'s text in effect on `on` (the latest that started by then)."""
    if type_ not in CommitmentType.values:
        raise ApplicationError(
            "invalid_type",
            _("承诺类型：应为审批替代型、容缺受理型、主动型、信用修复型或行业自律型"),
            {"type": type_},
        )
    text = (
        CommitmentText.objects.filter(type=type_, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if text is None:
        raise ApplicationError(
            "no_text",
            _("“%(type)s”在 %(day)s 尚无启用的承诺书文本，请联系信用办")
            % {"type": CommitmentType(type_).label, "day": on.isoformat()},
            {"type": type_},
        )
    return text


@transaction.atomic
def commitment_text_publish(
    *,
    actor: User,
    type: str,
    title: str,
    body: str,
    effective_from: dt.date,
    note: str = "",
    request: HttpRequest | None = None,
) -> CommitmentText:
    """A new version of a type's text (the credit office). Earlier versions
    stay as they were: commitments signed against them keep them."""
    ensure_credit_office(actor)
    if type not in CommitmentType.values:
        raise ApplicationError("invalid_type", _("承诺类型：不是有效的类型"), {"type": type})
    title = required_text(title, field="title", label=_("标题"))
    body = required_text(body, field="body", label=_("承诺内容"))
    last = CommitmentText.objects.filter(type=type).aggregate(n=Max("version"))["n"] or 0
    text = CommitmentText.objects.create(
        type=type,
        version=last + 1,
        title=title,
        body=body,
        effective_from=effective_from,
        note=note,
        created_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action=COMMITMENT_TEXT_PUBLISH,
        obj=text,
        after={"type": type, "version": text.version, "effective_from": str(effective_from)},
        request=request,
    )
    return text


def snapshot(c: Commitment) -> dict[str, Any]:
    return {
        "status": c.status,
        "type": c.type,
        "text_version": c.text.version if c.text_id else None,
        "decided_on": c.decided_on.isoformat() if c.decided_on else None,
        "breach_record_id": c.breach_record_id,
    }


def commitment_outbox(commitment: Commitment, *, event: str) -> None:
    """The commitment's outbox row (topic `rights.commitment`, delivered to the
    provincial platform like every topic, `exchange.services.delivery`), in
    the caller's transaction: `sign`, `fulfil` or `breach`. A person's ID
    number travels masked only, as it is kept."""
    c = commitment
    outbox_enqueue(
        topic=OUTBOX_TOPIC,
        key=f"Commitment:{c.pk}",
        payload={
            "event": event,
            "number": c.number,
            "type": c.type,
            "type_label": str(c.get_type_display()),
            "text_version": c.text.version,
            "subject_id": c.subject_id,
            "signer_kind": c.signer_kind,
            "signer_name": c.signer_name,
            "signer_code_masked": c.signer_code_masked,
            "department_id": c.department_id,
            "matter": c.matter,
            "channel": c.channel,
            "signed_on": c.signed_on.isoformat(),
            "is_published": c.is_published,
            "status": c.status,
            "decided_on": c.decided_on.isoformat() if c.decided_on else None,
            "facts": c.facts,
            "breach_record_id": c.breach_record_id,
        },
        idempotency_key=f"{OUTBOX_TOPIC}:{c.pk}:{event}",
        department_id=c.department_id,
    )


def _create(
    *,
    actor: AuditActor,
    type_: str,
    signer: Signer,
    department: Department,
    matter: str,
    signed_on: dt.date,
    channel: str,
    upload: CommitmentUpload | None = None,
    request: HttpRequest | None = None,
    identified: Identified | None = None,
) -> Commitment:
    """Record a signed commitment (its outbox row and the audit row last).
    `identified`: the signer's subject, when the caller already checked it."""
    if signed_on > clock.today():
        raise ApplicationError(
            "signed_in_future", _("签署日期：不能晚于今天"), {"signed_on": signed_on.isoformat()}
        )
    text = commitment_text_for(type_, signed_on)
    who = identified or identify(
        signer, department_id=department.pk, register=channel != Commitment.Channel.PORTAL
    )
    now = clock.now()
    commitment = Commitment.objects.create(
        number=f"tmp-{secrets.token_hex(8)}",
        type=type_,
        text=text,
        text_body=text.body,
        subject=who.subject,
        department=department,
        signer_kind=signer.kind,
        signer_name=signer.name.strip(),
        signer_code_masked=who.code_kept,
        contact_name=signer.contact_name.strip(),
        phone=signer.phone.strip(),
        email=signer.email.strip(),
        matter=matter.strip(),
        channel=channel,
        upload=upload,
        signed_on=signed_on,
        # An upload's rows are published, and sent on, when the upload is done.
        is_published=type_ in PUBLISHED_TYPES and upload is None,
        created_at=now,
        updated_at=now,
    )
    commitment.number = f"CN{now.date():%Y%m%d}{commitment.pk:06d}"
    commitment.save(update_fields=["number"])
    if upload is None:
        commitment_outbox(commitment, event="sign")
    audit_record(
        actor=actor,
        action=COMMITMENT_SIGN,
        obj=commitment,
        after={**snapshot(commitment), "channel": channel},
        request=request,
    )
    return commitment


@transaction.atomic
def commitment_sign_public(
    *,
    type: str,
    signer: Signer,
    department_id: int,
    matter: str = "",
    accepted: bool,
    request: HttpRequest | None = None,
) -> Commitment:
    """A subject signs a 主动型 or 信用修复型 commitment on the portal (no
    account). `accepted`: the signer read and accepts the text shown."""
    if type not in PUBLIC_TYPES:
        raise ApplicationError(
            "type_not_public",
            _("承诺类型：门户网站只受理主动型和信用修复型承诺，其他类型请向办理部门提交"),
            {"type": type},
        )
    if not accepted:
        raise ApplicationError(
            "not_accepted",
            _("请阅读承诺书全文并勾选“本人（本单位）已阅读并同意遵守以上承诺”"),
            {"accepted": "required"},
        )
    department = Department.objects.filter(pk=department_id, is_active=True).first()
    if department is None:
        raise ApplicationError(
            "invalid_department", _("受理部门：请选择受理部门"), {"department_id": department_id}
        )
    today = clock.today()
    code = (signer.code or "").strip().upper()
    digest_or_code = id_digest(code) if signer.kind == Commitment.SignerKind.PERSON else code
    same_subject = Commitment.objects.filter(channel=Commitment.Channel.PORTAL, signed_on=today)
    same_subject = (
        same_subject.filter(subject__id_digest=digest_or_code)
        if signer.kind == Commitment.SignerKind.PERSON
        else same_subject.filter(subject__uscc=digest_or_code)
    )
    limit = settings.XINYONG_OBJECTION_SUBJECT_DAILY
    if code and same_subject.count() >= limit:
        raise ApplicationError(
            "subject_rate_limited",
            _("该信用主体今日在网上作出的承诺已达 %(n)d 件，请明日再试") % {"n": limit},
            {"limit_per_day": limit},
            status=429,
        )
    return _create(
        actor=Actor(
            kind=ActorKind.ANONYMOUS, label=_("公众（%(name)s）") % {"name": signer.name[:50]}
        ),
        type_=type,
        signer=signer,
        department=department,
        matter=matter,
        signed_on=today,
        channel=Commitment.Channel.PORTAL,
        request=request,
    )


def _ensure_department(actor: User | ApiToken, department: Department) -> None:
    if isinstance(actor, ApiToken):
        if actor.department_id != department.pk:
            raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))
    elif not can_access_department(actor, department):
        raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))


@transaction.atomic
def commitment_record(
    *,
    actor: User | ApiToken,
    department: Department,
    type: str,
    signer: Signer,
    signed_on: dt.date,
    matter: str = "",
    channel: str = Commitment.Channel.API,
    upload: CommitmentUpload | None = None,
    request: HttpRequest | None = None,
) -> Commitment:
    """A signed commitment a department received (its system's API, or one
    row of its upload): the text in effect on the day it was signed."""
    _ensure_department(actor, department)
    return _create(
        actor=actor,
        type_=type,
        signer=signer,
        department=department,
        matter=matter,
        signed_on=signed_on,
        channel=channel,
        upload=upload,
        request=request,
    )


def ensure_commitment_access(actor: User | ApiToken, commitment: Commitment) -> None:
    """The receiving department and the credit office; anyone else: not found."""
    allowed = (
        actor.department_id == commitment.department_id
        if isinstance(actor, ApiToken)
        else can_access_department(actor, commitment.department_id)
    )
    if not allowed:
        raise NotFoundError("not_found", _("未找到该信用承诺，或您无权访问"))


def _repair_decider(repair: Repair) -> Department:
    if repair.by_credit_office:
        office = (
            Department.objects.filter(kind=Department.Kind.CREDIT_OFFICE, is_active=True)
            .order_by("pk")
            .first()
        )
        if office is not None:
            return office
    return repair.department


@transaction.atomic
def commitment_sign_for_repair(*, repair: Repair, request: HttpRequest | None = None) -> Commitment:
    """The 信用修复型 commitment of a repair application filed with
    `"commitment": true`: the type's text in effect today, signed today by
    the applicant (whose identity `repair_submit` checked against the
    record's subject), received by the repair's deciding department (the
    one that decided the record, 谁认定; the credit office where the rule
    gives it the decision), published as the type's rules say. The
    application keeps it and its text. Idempotent: an application that has
    its commitment keeps that one."""
    locked = (
        Repair.objects.select_for_update(of=("self",))
        .select_related("commitment", "record__subject", "department")
        .get(pk=repair.pk)
    )
    if locked.commitment is None:
        subject = locked.record.subject
        if subject is None:  # pragma: no cover - repair_submit matched the subject
            raise _identity_error()
        signer = Signer(
            kind=locked.applicant_kind,
            name=locked.applicant_name,
            code=locked.applicant_code_masked,
            phone=locked.applicant_phone,
        )
        locked.commitment = _create(
            actor=Actor(
                kind=ActorKind.ANONYMOUS,
                label=_("公众（%(name)s）") % {"name": locked.applicant_name[:50]},
            ),
            type_=CommitmentType.REPAIR,
            signer=signer,
            department=_repair_decider(locked),
            matter=_("信用修复申请 %(number)s") % {"number": repair.number},
            signed_on=clock.today(),
            channel=Commitment.Channel.PORTAL,
            identified=Identified(subject=subject, code_kept=locked.applicant_code_masked),
            request=request,
        )
        locked.commitment_text = locked.commitment.text_body
        locked.save(update_fields=["commitment", "commitment_text"])
    repair.commitment = locked.commitment
    repair.commitment_text = locked.commitment_text
    return locked.commitment
