"""Fulfilment of a commitment (issue 14 §5): the receiving department (or
the credit office) finds it kept (已履约) or breached (违诺). A breach
creates a 违背信用承诺 record through the catalog and the intake path
(validated, resolved to its subject, given its disclosure window like any
record), and tells the subject (its email, if given) and the department."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.audit import SYSTEM, audit_record
from xinyong.core.errors import ApplicationError, required_text
from xinyong.ingest.services import batch_submit_api
from xinyong.orgs.models import ApiToken, User
from xinyong.orgs.notices import notice_send
from xinyong.records.models import Record
from xinyong.rights.audit_actions import COMMITMENT_BREACH, COMMITMENT_FULFIL
from xinyong.rights.models import Commitment
from xinyong.rights.services.commitments import (
    BREACH_ITEM,
    Status,
    commitment_outbox,
    ensure_commitment_access,
    snapshot,
)
from xinyong.subjects.models import Subject
from xinyong.subjects.services import subject_reveal_id


def _decide(
    actor: User | ApiToken, commitment: Commitment, facts: str, decided_on: dt.date | None
) -> tuple[Commitment, dict[str, Any], str, dt.date]:
    ensure_commitment_access(actor, commitment)
    facts = required_text(facts, field="facts", label=_("履约或违诺事实"))
    day = decided_on or clock.today()
    locked = Commitment.objects.select_for_update().select_related("text").get(pk=commitment.pk)
    if locked.status != Status.SIGNED:
        raise ApplicationError(
            "wrong_status",
            _("该承诺已认定为“%(status)s”，不能再次认定") % {"status": locked.get_status_display()},
            {"status": locked.status},
            status=409,
        )
    if day < locked.signed_on or day > clock.today():
        raise ApplicationError(
            "invalid_date",
            _("认定日期：应在签署日期（%(signed)s）和今天之间")
            % {"signed": locked.signed_on.isoformat()},
            {"decided_on": day.isoformat()},
        )
    return locked, snapshot(locked), facts, day


@transaction.atomic
def commitment_fulfil(
    *,
    actor: User | ApiToken,
    commitment: Commitment,
    facts: str,
    decided_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Commitment:
    """已履约: the department finds the commitment kept."""
    locked, before, facts, day = _decide(actor, commitment, facts, decided_on)
    locked.status = Status.FULFILLED
    locked.facts = facts
    locked.decided_on = day
    locked.updated_at = clock.now()
    locked.save(update_fields=["status", "facts", "decided_on", "updated_at"])
    commitment_outbox(locked, event="fulfil")
    audit_record(
        actor=actor, action=COMMITMENT_FULFIL, obj=locked, before=before,
        after=snapshot(locked), reason=facts, request=request,
    )  # fmt: skip
    return locked


def _breach_row(c: Commitment, facts: str, day: dt.date) -> dict[str, str]:
    subject = c.subject
    row = {
        "subject_name": subject.name,
        "subject_kind": "自然人" if subject.kind == Subject.Kind.PERSON else "法人及非法人组织",
        "doc_number": c.number,
        "commitment_type": c.get_type_display(),
        "matter": c.matter,
        "signed_date": c.signed_on.isoformat(),
        "breach_facts": facts,
        "decision_date": day.isoformat(),
        "agency": c.department.name,
    }
    if subject.uscc:
        row["subject_uscc"] = subject.uscc
    elif subject.id_encrypted:
        # The record is matched to its person by the ID number: read from the
        # registry by the system, audited (subjects.services.subject_reveal_id).
        row["id_number"] = subject_reveal_id(
            actor=SYSTEM, subject=subject, reason=_("生成违背信用承诺记录 %s") % c.number
        )
    return row


def _breach_record(c: Commitment, facts: str, day: dt.date, actor: User | ApiToken) -> Record:
    """Submit the 违背信用承诺 record as the receiving department (谁认定): the
    item's intake validates it, resolves the subject and computes its window."""
    item = CatalogItem.objects.filter(code=BREACH_ITEM, is_active=True).first()
    if item is None:
        raise ApplicationError(
            "breach_item_missing",
            _("目录事项“违背信用承诺”未启用，请联系信用办"),
            {"item": BREACH_ITEM},
        )
    # Every department that receives commitments decides their breaches.
    item.departments.add(c.department)
    batch = batch_submit_api(
        department=c.department,
        item=item,
        records=[_breach_row(c, facts, day)],
        token=actor if isinstance(actor, ApiToken) else None,
    )
    record = (
        Record.objects.filter(source_batch_id=batch.pk).first()
        or Record.objects.filter(item=item, department=c.department, doc_number=c.number).first()
    )
    if record is None or batch.accepted != 1:
        raise ApplicationError(
            "breach_record_rejected",
            _("违诺记录未能生成：%(reason)s")
            % {"reason": batch.failure_reason or _("记录校验未通过，请联系信用办")},
            {"batch": batch.pk},
        )
    return record


@transaction.atomic
def commitment_breach(
    *,
    actor: User | ApiToken,
    commitment: Commitment,
    facts: str,
    decided_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Commitment:
    """违诺: the department finds the commitment breached. A 违背信用承诺
    record is created through the catalog (a negative record, with its
    disclosure window), and the subject (its email, if given) and the
    department are told."""
    locked, before, facts, day = _decide(actor, commitment, facts, decided_on)
    locked = Commitment.objects.select_related("subject", "department", "text").get(pk=locked.pk)
    record = _breach_record(locked, facts, day, actor)
    locked.status = Status.BREACHED
    locked.facts = facts
    locked.decided_on = day
    locked.breach_record = record
    locked.updated_at = clock.now()
    locked.save(update_fields=["status", "facts", "decided_on", "breach_record", "updated_at"])
    notice_send(
        department=locked.department,
        title=_("信用承诺违诺认定：%(number)s") % {"number": locked.number},
        body=_(
            "%(name)s 于 %(signed)s 作出的%(type)s信用承诺经 %(dept)s 认定为违诺（%(day)s）。"
            "违诺事实：%(facts)s。已记入“违背信用承诺”失信信息，并按规定公示。"
            "如有异议，可自收到本通知之日起依法提出异议或申请行政复议。"
        )
        % {
            "name": locked.signer_name,
            "signed": locked.signed_on.isoformat(),
            "type": locked.get_type_display(),
            "dept": locked.department.name,
            "day": day.isoformat(),
            "facts": facts,
        },
        link=reverse("rights:commitment_detail", args=[locked.pk]),
        email_to=locked.email,
        actor=actor,
    )
    commitment_outbox(locked, event="breach")
    audit_record(
        actor=actor, action=COMMITMENT_BREACH, obj=locked, before=before,
        after=snapshot(locked), reason=facts, request=request,
    )  # fmt: skip
    return locked
