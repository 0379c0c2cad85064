"""Subjects that can prove who they are, their public records, and
objections filed through the real service (`objection_submit`)."""

from records.factories import PenaltyRecordFactory
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.core.identifiers.resident_id import resident_id_with_check
from xinyong.rights.services import objection_submit
from xinyong.rights.services.objection import Applicant, Filed
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject

COMPANY_USCC = "91110000600037341L"
PERSON_NAME = "张三丰"
PERSON_ID = resident_id_with_check("42902119800101123")


def company(**kwargs) -> Subject:
    return SubjectFactory(name="神农架林区某某建材有限公司", uscc=COMPANY_USCC, **kwargs)


def person(**kwargs) -> Subject:
    return SubjectFactory(
        kind=Subject.Kind.PERSON,
        name=PERSON_NAME,
        id_digest=id_digest(PERSON_ID),
        id_masked="4290**********" + PERSON_ID[-4:],
        **kwargs,
    )


def public_record(*, department, subject):
    """A 行政处罚 record of `subject`, public since today."""
    return PenaltyRecordFactory(department=department, subject=subject, published_on=clock.today())


def company_applicant(**kwargs) -> Applicant:
    values = {
        "name": "神农架林区某某建材有限公司",
        "kind": "legal",
        "code": COMPANY_USCC,
        "phone": "0719-3331234",
    }
    return Applicant(**{**values, **kwargs})


def person_applicant(**kwargs) -> Applicant:
    values = {"name": PERSON_NAME, "kind": "person", "code": PERSON_ID, "phone": "13800001111"}
    return Applicant(**{**values, **kwargs})


def file_objection(record, applicant: Applicant | None = None) -> Filed:
    return objection_submit(
        record_id=record.pk,
        applicant=applicant or company_applicant(),
        reason="处罚决定已被复议撤销，记录应撤下",
    )
