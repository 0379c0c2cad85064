"""A person's resident ID is kept encrypted beside its digest, for the exchange,
and only the credit office (or the system) can have it back, audited."""

import pytest

from subjects.subjects_support import RESIDENT_ID, USCC_C, legal, person
from xinyong.core.audit import SYSTEM
from xinyong.core.errors import PermissionDeniedError
from xinyong.core.models import AuditLog
from xinyong.subjects.models import Subject
from xinyong.subjects.services import SubjectCandidate, subject_reveal_id

pytestmark = pytest.mark.django_db


def test_a_new_person_keeps_the_id_encrypted_and_the_credit_office_reads_it_back(
    resolve, department, admin_user
):
    [sid, company] = resolve(department, person("张三", RESIDENT_ID.lower()), legal("某公司"))
    subject = Subject.objects.get(pk=sid)
    assert subject.id_encrypted
    assert RESIDENT_ID[:-1] not in subject.id_encrypted
    assert Subject.objects.get(pk=company).id_encrypted == ""

    assert subject_reveal_id(actor=admin_user, subject=subject, reason="省平台交换") == RESIDENT_ID
    entry = AuditLog.objects.get(action="subject.reveal_id")
    assert entry.actor_id == admin_user.pk
    assert entry.object_id == str(sid)
    assert entry.reason == "省平台交换"
    assert RESIDENT_ID[:-1] not in entry.object_label


def test_the_exchange_runs_as_the_system(resolve, department):
    [sid] = resolve(department, person("张三", RESIDENT_ID))
    assert subject_reveal_id(actor=SYSTEM, subject=Subject.objects.get(pk=sid)) == RESIDENT_ID
    assert AuditLog.objects.filter(action="subject.reveal_id", actor_kind="system").count() == 1


def test_a_department_cannot_read_the_id(resolve, department, clerk):
    [sid] = resolve(department, person("张三", RESIDENT_ID))
    with pytest.raises(PermissionDeniedError):
        subject_reveal_id(actor=clerk, subject=Subject.objects.get(pk=sid))
    assert not AuditLog.objects.filter(action="subject.reveal_id").exists()


def test_a_person_registered_before_gets_the_encrypted_id_on_the_next_import(
    resolve, department, admin_user
):
    [sid] = resolve(department, person("张三", RESIDENT_ID))
    Subject.objects.filter(pk=sid).update(id_encrypted="")  # as stored before this column
    assert resolve(department, person("张三", RESIDENT_ID)) == [sid]
    subject = Subject.objects.get(pk=sid)
    assert subject_reveal_id(actor=admin_user, subject=subject) == RESIDENT_ID
    # And a re-import writes nothing more (the stored value is kept).
    before = subject.id_encrypted
    resolve(department, person("张三", RESIDENT_ID))
    assert Subject.objects.get(pk=sid).id_encrypted == before


def test_an_individual_business_that_takes_the_operator_id_later_keeps_it_encrypted(
    resolve, department, admin_user
):
    shop = "神农架张三烧烤店"
    [sid] = resolve(
        department, SubjectCandidate(kind="individual_business", name=shop, uscc=USCC_C)
    )
    with_id = SubjectCandidate(
        kind="individual_business", name=shop, uscc=USCC_C, id_number=RESIDENT_ID
    )
    assert resolve(department, with_id) == [sid]
    subject = Subject.objects.get(pk=sid)
    assert subject.id_digest
    assert subject_reveal_id(actor=admin_user, subject=subject) == RESIDENT_ID
