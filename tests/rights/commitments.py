"""Helpers of the commitment and training tests: signers that pass the
identity checks, and commitments recorded through the real services."""

import datetime as dt

from rights.factories import COMPANY_USCC, PERSON_ID, PERSON_NAME
from xinyong.core import clock
from xinyong.rights.models import Commitment
from xinyong.rights.services.commitments import Signer, commitment_record

COMPANY_NAME = "神农架林区某某建材有限公司"
OTHER_USCC = "91350200776049653A"


def company_signer(**kwargs) -> Signer:
    values = {
        "kind": "legal",
        "name": COMPANY_NAME,
        "code": COMPANY_USCC,
        "phone": "0719-3331234",
        "contact_name": "李四",
    }
    return Signer(**{**values, **kwargs})


def person_signer(**kwargs) -> Signer:
    values = {"kind": "person", "name": PERSON_NAME, "code": PERSON_ID, "phone": "13800001111"}
    return Signer(**{**values, **kwargs})


def record_commitment(
    actor, department, *, type="approval", signer=None, signed_on=None, **kwargs
) -> Commitment:
    return commitment_record(
        actor=actor,
        department=department,
        type=type,
        signer=signer or company_signer(),
        signed_on=signed_on or clock.today() - dt.timedelta(days=1),
        matter=kwargs.pop("matter", "申请食品经营许可"),
        **kwargs,
    )


def repair_commitment(subject, department, **kwargs) -> Commitment:
    """A 信用修复型 commitment of `subject`, as a row (for the figures that
    count them; the services are tested elsewhere)."""
    from xinyong.rights.services.commitments import commitment_text_for

    signed_on = kwargs.pop("signed_on", clock.today() - dt.timedelta(days=5))
    return Commitment.objects.create(
        number=f"CNT{subject.pk:06d}{kwargs.get('status', 's')[:1]}",
        type="repair",
        text_id=commitment_text_for("repair", signed_on).pk,
        text_body="…",
        subject=subject,
        department=department,
        signer_kind="legal",
        signer_name=subject.name,
        signer_code_masked=subject.uscc or "",
        phone="13800000000",
        channel="api",
        signed_on=signed_on,
        created_at=clock.now(),
        updated_at=clock.now(),
        **kwargs,
    )
