"""The credit repair workflow (信用修复, 国家发展改革委令第36号): filing without
an account (eligibility checked first, `rights.eligibility`), then one
service per transition (atomic, permission first, row locked and status
checked, dates from core.clock, deadlines from core.workdays, an outbox row
on topic `rights.repair`, the audit row last). The effects of an approval
are in `repair_effects`."""

import datetime as dt
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, AuditAction, audit_record
from xinyong.core.crypto import plain_chunks
from xinyong.core.errors import (
    ApplicationError,
    NotFoundError,
    PermissionDeniedError,
    required_phone,
    required_text,
)
from xinyong.core.outbox import outbox_enqueue
from xinyong.core.workdays import add_workdays
from xinyong.orgs.models import User
from xinyong.orgs.permissions import can_access_department
from xinyong.records.models import Record
from xinyong.rights.attachments import check_attachments, store_files
from xinyong.rights.audit_actions import (
    REPAIR_ACCEPT,
    REPAIR_APPROVE,
    REPAIR_REFUSE,
    REPAIR_REJECT,
    REPAIR_SUBMIT,
)
from xinyong.rights.eligibility import repair_eligibility, training_attended
from xinyong.rights.models import Repair, RepairAttachment, RepairRule
from xinyong.rights.services.commitments import commitment_sign_for_repair
from xinyong.rights.services.objection import (
    DEFAULT_REMEDIES,
    Applicant,
    _check_identity,
    _secret_digest,
)
from xinyong.rights.services.objection_lists import entries_clear, entries_mark

OUTBOX_TOPIC = "rights.repair"
Status = Repair.Status


@dataclass(frozen=True, slots=True)
class RepairFiled:
    """A new repair application and the secret shown to the applicant once."""

    repair: Repair
    secret: str


def repair_storage_dir() -> Path:
    return Path(settings.XINYONG_PRIVATE_ROOT) / "repairs"


def repair_attachment_chunks(attachment: RepairAttachment) -> Iterator[bytes]:
    return plain_chunks(repair_storage_dir() / attachment.stored_name)


def _store(repair: Repair, files: Sequence[UploadedFile], types: Sequence[str]) -> None:
    store_files(
        RepairAttachment,
        parent={"repair": repair},
        directory=repair_storage_dir(),
        files=files,
        types=types,
    )


def snapshot(repair: Repair) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "status": repair.status,
        "accept_due": iso(repair.accept_due),
        "decide_due": iso(repair.decide_due),
        "accepted_on": iso(repair.accepted_on),
        "decided_on": iso(repair.decided_on),
        "obligations_confirmed": repair.obligations_confirmed,
        "training_confirmed": repair.training_confirmed,
    }


def finish(
    *,
    actor: User | Actor,
    repair: Repair,
    before: dict[str, Any] | None,
    fields: list[str],
    action: AuditAction,
    event: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Repair:
    """Save, the outbox row for the provincial platform, the audit row last."""
    repair.updated_at = clock.now()
    repair.save(update_fields=[*fields, "updated_at"])
    record = repair.record
    outbox_enqueue(
        topic=OUTBOX_TOPIC,
        key=f"Repair:{repair.pk}",
        payload={
            "event": event,
            "number": repair.number,
            "record_id": repair.record_id,
            "item": record.item.code,
            "doc_number": record.doc_number,
            "subject_id": record.subject_id,
            "department_id": repair.department_id,
            "decision_note": repair.decision_note,
            "refusal_reason": repair.refusal_reason,
            "effects": repair.effects,
            **snapshot(repair),
        },
        idempotency_key=f"{OUTBOX_TOPIC}:{repair.pk}:{event}:{repair.updated_at.isoformat()}",
    )
    audit_record(
        actor=actor,
        action=action,
        obj=repair,
        before=before,
        after=snapshot(repair),
        reason=reason,
        request=request,
    )
    return repair


def _not_eligible(message: str, details: dict[str, Any]) -> ApplicationError:
    return ApplicationError("not_eligible", message, details, status=422)


@transaction.atomic
def repair_submit(
    *,
    record_id: int,
    applicant: Applicant,
    reason: str,
    commitment: bool,
    attachments: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> RepairFiled:
    """File a repair application for a public record without an account. The
    applicant must be the record's subject and accept the commitment (recorded
    as a 信用修复型 commitment, `commitment_sign_for_repair`); the record must
    be eligible (`rights.eligibility`), else 422 with the reason (e.g. the day
    the shortest period passes, or no training attended where required)."""
    name = required_text(applicant.name, field="applicant.name", label=_("申请人名称"))
    required_text(applicant.code, field="applicant.code", label=_("证件号码"))
    phone = required_phone(applicant.phone, field="applicant.phone", label=_("联系电话"))
    reason = required_text(reason, field="reason", label=_("申请理由"))
    types = check_attachments(attachments)
    record = (
        Record.objects.publicly_visible()
        .select_related("subject", "item", "department")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise NotFoundError("record_not_found", _("未找到该公示记录"), {"record_id": record_id})
    code = _check_identity(applicant, record.subject)
    # The record's row locked: two applications at once, one wins.
    Record.objects.select_for_update().filter(pk=record.pk).first()
    if Repair.objects.filter(record=record, status__in=Repair.OPEN).exists():
        raise ApplicationError(
            "already_open",
            _("该记录的信用修复申请正在办理中，请勿重复提交"),
            {"record_id": record_id},
            status=409,
        )
    if commitment is not True:
        raise ApplicationError(
            "commitment_required",
            _("信用修复承诺：须阅读并同意信用修复承诺书后方可申请"),
            {"commitment": "required"},
            status=422,
        )
    eligibility = repair_eligibility(record)
    failure = eligibility.failure
    if failure is not None:
        raise _not_eligible(
            failure.text,
            {
                "condition": failure.key,
                "eligible_from": eligibility.eligible_from.isoformat()
                if eligibility.eligible_from
                else None,
            },
        )
    rule = eligibility.rule
    if rule is None:  # an eligible record has its rule
        raise _not_eligible(_("该类信息暂不适用在线信用修复，请咨询信用办"), {"condition": "rule"})
    today = clock.today()
    if (
        Repair.objects.filter(record__subject=record.subject, filed_on=today).count()
        >= settings.XINYONG_OBJECTION_SUBJECT_DAILY
    ):
        raise ApplicationError(
            "subject_rate_limited",
            _("该信息主体今日提交的申请已达上限，请明日再试或到信用办现场办理"),
            {"limit_per_day": settings.XINYONG_OBJECTION_SUBJECT_DAILY},
            status=429,
        )
    secret = secrets.token_urlsafe(18)
    repair = Repair(
        number=f"tmp-{secrets.token_hex(8)}",
        secret_digest=_secret_digest(secret),
        record=record,
        department_id=record.department_id,
        rule=rule,
        by_credit_office=rule.decider == RepairRule.Decider.CREDIT_OFFICE,
        applicant_kind=applicant.kind,
        applicant_name=name,
        applicant_code_masked=code,
        applicant_phone=phone,
        reason=reason,
        commitment_text="",  # the commitment's text, below
        filed_on=today,
        filed_at=clock.now(),
        accept_due=add_workdays(today, settings.XINYONG_OBJECTION_ACCEPT_WORKDAYS).date,
        updated_at=clock.now(),
    )
    repair.save()
    repair.number = f"XF{today:%Y%m%d}{repair.pk:06d}"
    repair.save(update_fields=["number"])
    # The 信用修复型 commitment the applicant accepted, in this transaction.
    commitment_sign_for_repair(repair=repair, request=request)
    _store(repair, attachments, types)
    finish(
        actor=Actor(kind=ActorKind.ANONYMOUS, label=_("公众（%(name)s）") % {"name": name}),
        repair=repair,
        before=None,
        fields=["number"],
        action=REPAIR_SUBMIT,
        event="submit",
        request=request,
    )
    return RepairFiled(repair=repair, secret=secret)


def ensure_repair_access(actor: User, repair: Repair) -> None:
    """The deciding department's staff and the credit office see an
    application; anyone else is told it does not exist."""
    if not can_access_department(actor, repair.department_id):
        raise NotFoundError("not_found", _("未找到该信用修复申请，或您无权访问"))


def ensure_decider(actor: User, repair: Repair) -> None:
    """谁认定、谁修复: the department that decided the record; the credit
    office where the rule gives it the decision."""
    ensure_repair_access(actor, repair)
    if repair.by_credit_office:
        if not actor.is_credit_office:
            raise PermissionDeniedError("forbidden", _("该类信用修复由信用办审核"))
        return
    if actor.department_id != repair.department_id:
        raise PermissionDeniedError(
            "forbidden", _("信用修复由作出决定的部门审核（谁认定、谁修复）")
        )


def lock(repair: Repair) -> Repair:
    return (
        # Only the application's row: the record's subject is a nullable join.
        Repair.objects.select_for_update(of=("self",))
        .select_related("record", "record__item", "record__subject", "rule", "department")
        .get(pk=repair.pk)
    )


def ensure_status(repair: Repair, *allowed: str, action: str) -> None:
    if repair.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("该申请当前状态为“%(status)s”，不能%(action)s")
            % {"status": repair.get_status_display(), "action": action},
            {"status": repair.status},
            status=409,
        )


def _system(repair: Repair) -> Actor:
    return Actor(
        kind=ActorKind.SYSTEM, label=_("系统（信用修复 %(number)s）") % {"number": repair.number}
    )


@transaction.atomic
def repair_accept(*, actor: User, repair: Repair, request: HttpRequest | None = None) -> Repair:
    """受理: the decision is due in the rule's working days from today."""
    ensure_decider(actor, repair)
    locked = lock(repair)
    ensure_status(locked, Status.FILED, action=_("受理"))
    before = snapshot(locked)
    today = clock.today()
    locked.status = Status.REVIEWING
    locked.accepted_on = today
    locked.decide_due = add_workdays(today, locked.rule.decide_workdays).date
    entries_mark(record_id=locked.record_id, challenge="repair", actor=_system(locked))
    return finish(
        actor=actor, repair=locked, before=before,
        fields=["status", "accepted_on", "decide_due"],
        action=REPAIR_ACCEPT, event="accept", request=request,
    )  # fmt: skip


@transaction.atomic
def repair_refuse(
    *, actor: User, repair: Repair, reason: str, request: HttpRequest | None = None
) -> Repair:
    """不予受理, with the reason and the remedies."""
    ensure_decider(actor, repair)
    reason = required_text(reason, field="reason", label=_("不予受理理由"))
    locked = lock(repair)
    ensure_status(locked, Status.FILED, action=_("不予受理"))
    before = snapshot(locked)
    locked.status = Status.REFUSED
    locked.refusal_reason = reason
    locked.remedies = str(DEFAULT_REMEDIES)
    locked.decided_on = clock.today()
    return finish(
        actor=actor, repair=locked, before=before,
        fields=["status", "refusal_reason", "remedies", "decided_on"],
        action=REPAIR_REFUSE, event="refuse", reason=reason, request=request,
    )  # fmt: skip


@transaction.atomic
def repair_reject(
    *, actor: User, repair: Repair, reason: str, request: HttpRequest | None = None
) -> Repair:
    """不予修复, with the reasons and the remedies (a new application once
    the reasons are cured, review or litigation)."""
    ensure_decider(actor, repair)
    reason = required_text(reason, field="reason", label=_("不予修复理由"))
    locked = lock(repair)
    ensure_status(locked, Status.REVIEWING, action=_("作出不予修复决定"))
    before = snapshot(locked)
    locked.status = Status.REJECTED
    entries_clear(record_id=locked.record_id, challenge="repair", actor=_system(locked))
    locked.decision_note = reason
    locked.remedies = _("可在纠正上述问题后重新申请信用修复；%(remedies)s") % {
        "remedies": DEFAULT_REMEDIES
    }
    locked.decided_on = clock.today()
    return finish(
        actor=actor, repair=locked, before=before,
        fields=["status", "decision_note", "remedies", "decided_on"],
        action=REPAIR_REJECT, event="reject", reason=reason, request=request,
    )  # fmt: skip


@transaction.atomic
def repair_approve(
    *,
    actor: User,
    repair: Repair,
    note: str,
    obligations_confirmed: bool,
    request: HttpRequest | None = None,
) -> Repair:
    """准予修复. The decider confirms the obligations fulfilled. Where the
    rule requires training, the training records decide it, not the decider:
    the subject attended a session held on or before today
    (`eligibility.training_attended`), else no approval (there is no manual
    override: a training missing from the records is entered on the
    training's attendance page first). Then the four effects
    (`repair_effects.apply_repair`): the record's publication ends, checks
    stop matching it, list entries resting on it are removed early where
    their type allows, and the departments that applied measures are told."""
    from xinyong.rights.services.repair_effects import apply_repair

    ensure_decider(actor, repair)
    note = required_text(note, field="note", label=_("审核意见"))
    locked = lock(repair)
    ensure_status(locked, Status.REVIEWING, action=_("准予修复"))
    if not obligations_confirmed:
        raise ApplicationError(
            "obligations_unconfirmed",
            _("准予修复前须核实申请人已纠正失信行为、履行法定义务"),
            {"obligations_confirmed": "required"},
        )
    today = clock.today()
    trained = training_attended(locked.record.subject_id, today) is not None
    if locked.rule.requires_training and not trained:
        raise ApplicationError(
            "training_unconfirmed",
            _("该类信息修复须完成信用修复培训：培训记录中没有该主体的参训记录"),
            {"training": "not_attended"},
        )
    before = snapshot(locked)
    locked.obligations_confirmed = True
    locked.training_confirmed = trained
    locked.decision_note = note
    locked.status = Status.APPROVED
    entries_clear(record_id=locked.record_id, challenge="repair", actor=_system(locked))
    locked.decided_on = today
    locked.effects = apply_repair(actor=actor, repair=locked, request=request)
    return finish(
        actor=actor, repair=locked, before=before,
        fields=[
            "status", "decision_note", "decided_on", "obligations_confirmed",
            "training_confirmed", "effects",
        ],
        action=REPAIR_APPROVE, event="approve", reason=note, request=request,
    )  # fmt: skip
