"""Filing an objection without an account: identity, refusals, the secret."""

import pytest
from django.test import override_settings

from rights.factories import (
    PERSON_ID,
    company,
    company_applicant,
    file_objection,
    person,
    person_applicant,
    public_record,
)
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.rights.models import Objection
from xinyong.rights.selectors import objection_by_secret


def test_a_company_files_by_its_uscc(department, xzcf, pin_today):
    pin_today("2025-09-29")
    record = public_record(department=department, subject=company())
    filed = file_objection(record)
    o = filed.objection
    assert o.status == Objection.Status.FILED
    assert o.number == f"YY20250929{o.pk:06d}"
    assert o.department_id == record.department_id
    # the secret is not stored, only its digest
    assert filed.secret not in o.secret_digest
    assert len(o.secret_digest) == 64
    assert AuditLog.objects.filter(action="objection.submit", object_id=str(o.pk)).exists()
    assert OutboxMessage.objects.filter(topic="rights.objection", key=f"Objection:{o.pk}").exists()
    # filing alone does not mark the record
    record.refresh_from_db()
    assert record.disputed is False


def test_a_person_files_by_name_and_id_number(department, xzcf):
    record = public_record(department=department, subject=person())
    filed = file_objection(record, person_applicant())
    assert filed.objection.applicant_code_masked != PERSON_ID
    assert filed.objection.applicant_code_masked.endswith(PERSON_ID[-4:])
    assert PERSON_ID not in str(Objection.objects.values().get())


@pytest.mark.parametrize(
    "applicant",
    [
        person_applicant(name="李四"),  # right number, wrong name
        person_applicant(code=PERSON_ID[:-5] + "1234" + PERSON_ID[-1]),  # another number
        company_applicant(kind="legal", code="91420000MA4KXXXX0X"),  # not a valid USCC
    ],
)
def test_someone_else_is_refused(department, xzcf, applicant):
    record = public_record(department=department, subject=person())
    with pytest.raises(ApplicationError) as exc:
        file_objection(record, applicant)
    assert exc.value.status == 422
    assert not Objection.objects.exists()


def test_another_company_is_refused(record):
    with pytest.raises(ApplicationError) as exc:
        file_objection(record, company_applicant(code="91420000316573440B"))
    assert exc.value.code in {"identity_mismatch", "invalid_code"}
    assert exc.value.status == 422


def test_a_record_not_public_is_not_found(record):
    record.published_on = None
    record.save(update_fields=["published_on"])
    with pytest.raises(NotFoundError):
        file_objection(record)


def test_a_second_open_objection_is_refused(record):
    file_objection(record)
    with pytest.raises(ApplicationError) as exc:
        file_objection(record)
    assert exc.value.code == "already_open"


def test_empty_reason_names_the_field(record):
    from xinyong.rights.services import objection_submit

    with pytest.raises(ApplicationError) as exc:
        objection_submit(record_id=record.pk, applicant=company_applicant(), reason="  ")
    assert "异议理由" in exc.value.message


def test_status_needs_the_right_secret(record):
    filed = file_objection(record)
    number = filed.objection.number
    assert objection_by_secret(number=number, secret=filed.secret).pk == filed.objection.pk
    with pytest.raises(NotFoundError):
        objection_by_secret(number=number, secret=filed.secret + "x")
    with pytest.raises(NotFoundError):
        objection_by_secret(number=number, secret="")


@override_settings(XINYONG_OBJECTION_SUBJECT_DAILY=2)
def test_filing_is_limited_per_subject_and_day(department, xzcf, office_user):
    from xinyong.rights import services

    subject = company()
    records = [public_record(department=department, subject=subject) for _ in range(3)]
    first = file_objection(records[0]).objection
    services.objection_refuse(actor=office_user, objection=first, reason="材料不全")
    file_objection(records[1])
    with pytest.raises(ApplicationError) as exc:
        file_objection(records[2])
    assert exc.value.status == 429
    assert "今日" in exc.value.message
