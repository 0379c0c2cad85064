"""Commitments through their services: texts kept as signed, identity,
the portal's refusals, fulfilment and breach (the record, the notices)."""

import datetime as dt

import pytest
from django.core import mail

from rights.commitments import OTHER_USCC, company_signer, person_signer, record_commitment
from rights.factories import COMPANY_USCC, PERSON_ID, PERSON_NAME, company, person
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.models import AuditLog
from xinyong.orgs.models import Notice
from xinyong.records.models import Record
from xinyong.rights.models import Commitment, CommitmentText
from xinyong.rights.services.commitment_fulfilment import commitment_breach, commitment_fulfil
from xinyong.rights.services.commitments import (
    commitment_sign_public,
    commitment_text_publish,
)
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_default_texts_are_the_five_point_commitment():
    for text in CommitmentText.objects.all():
        for point in ("一、", "二、", "三、", "四、", "五、"):
            assert point in text.body
        assert "真实" in text.body and "监督" in text.body and "检查" in text.body
    assert CommitmentText.objects.filter(version=1).count() == 5


def test_a_signed_commitment_keeps_the_text_it_was_signed_against(clerk, department, admin_user):
    first = record_commitment(clerk, department)
    v1 = first.text
    v2 = commitment_text_publish(
        actor=admin_user,
        type="approval",
        title="信用承诺书（审批替代型）",
        body="新版承诺内容：一、…",
        effective_from=clock.today(),
    )
    assert v2.version == v1.version + 1
    first.refresh_from_db()
    assert first.text_id == v1.pk and first.text_body == v1.body
    # A paper signed yesterday was signed against the text in effect yesterday.
    late_paper = record_commitment(clerk, department, signer=company_signer(code=OTHER_USCC))
    assert late_paper.text_id == v1.pk
    today = record_commitment(clerk, department, signed_on=clock.today())
    assert today.text_id == v2.pk and today.text_body == "新版承诺内容：一、…"


def test_only_the_credit_office_publishes_texts(clerk):
    with pytest.raises(ApplicationError):
        commitment_text_publish(
            actor=clerk, type="approval", title="t", body="b", effective_from=clock.today()
        )


def test_company_commitment_registers_its_subject_and_is_audited(clerk, department):
    c = record_commitment(clerk, department, type="voluntary")
    assert c.subject.uscc == COMPANY_USCC and c.signer_code_masked == COMPANY_USCC
    assert c.is_published and c.status == Commitment.Status.SIGNED
    assert c.number.startswith("CN")
    assert AuditLog.objects.filter(action="commitment.sign", object_id=str(c.pk)).exists()


def test_person_commitment_keeps_the_id_number_masked(clerk, department):
    c = record_commitment(clerk, department, type="repair", signer=person_signer())
    assert PERSON_ID not in c.signer_code_masked and c.signer_code_masked.endswith(PERSON_ID[-4:])
    assert c.subject.kind == Subject.Kind.PERSON
    assert PERSON_ID not in str(Commitment.objects.filter(pk=c.pk).values().get())


def test_a_known_person_must_give_the_same_name(clerk, department):
    known = person()
    c = record_commitment(clerk, department, signer=person_signer())
    assert c.subject_id == known.pk
    with pytest.raises(ApplicationError) as exc:
        record_commitment(clerk, department, signer=person_signer(name="李四"))
    assert exc.value.code == "identity_mismatch"


@pytest.mark.parametrize(
    ("signer", "code"),
    [
        (company_signer(code="91110000600037341X"), "invalid_code"),
        (person_signer(code="429021198001011230"), "invalid_code"),
        (company_signer(name=" "), "signer.name_required"),
        (company_signer(phone=""), "signer.phone_required"),
    ],
)
def test_identity_refusals(clerk, department, signer, code):
    with pytest.raises(ApplicationError) as exc:
        record_commitment(clerk, department, signer=signer)
    assert exc.value.code == code
    assert not Commitment.objects.exists()


def test_a_clerk_records_only_for_own_department(clerk, other_department):
    with pytest.raises(NotFoundError):
        record_commitment(clerk, other_department)


def test_signed_in_the_future_is_refused(clerk, department):
    with pytest.raises(ApplicationError) as exc:
        record_commitment(clerk, department, signed_on=clock.today() + dt.timedelta(days=1))
    assert exc.value.code == "signed_in_future"


def test_portal_refusals(department, settings):
    def sign(**kwargs):
        values = {
            "type": "voluntary",
            "signer": company_signer(),
            "department_id": department.pk,
            "accepted": True,
        }
        return commitment_sign_public(**{**values, **kwargs})

    with pytest.raises(ApplicationError) as exc:
        sign()  # nobody registers a subject from the portal
    assert exc.value.code == "subject_unknown" and exc.value.status == 422
    assert not Subject.objects.filter(uscc=COMPANY_USCC).exists()
    company()
    with pytest.raises(ApplicationError) as exc:
        sign(type="approval")
    assert exc.value.code == "type_not_public"
    with pytest.raises(ApplicationError) as exc:
        sign(accepted=False)
    assert exc.value.code == "not_accepted"
    with pytest.raises(ApplicationError) as exc:
        sign(department_id=999999)
    assert exc.value.code == "invalid_department"
    settings.XINYONG_OBJECTION_SUBJECT_DAILY = 2
    sign()
    c = sign(type="repair")
    assert c.channel == Commitment.Channel.PORTAL and c.signed_on == clock.today()
    with pytest.raises(ApplicationError) as exc:
        sign()
    assert exc.value.status == 429


def test_fulfil_and_its_refusals(clerk, other_clerk, department):
    c = record_commitment(clerk, department)
    with pytest.raises(NotFoundError):
        commitment_fulfil(actor=other_clerk, commitment=c, facts="按期补齐材料")
    with pytest.raises(ApplicationError) as exc:
        commitment_fulfil(actor=clerk, commitment=c, facts="  ")
    assert exc.value.code == "facts_required"
    with pytest.raises(ApplicationError) as exc:
        commitment_fulfil(
            actor=clerk, commitment=c, facts="x", decided_on=c.signed_on - dt.timedelta(days=1)
        )
    assert exc.value.code == "invalid_date"
    done = commitment_fulfil(actor=clerk, commitment=c, facts="按期补齐材料，经核查属实")
    assert done.status == Commitment.Status.FULFILLED and done.decided_on == clock.today()
    with pytest.raises(ApplicationError) as exc:
        commitment_breach(actor=clerk, commitment=c, facts="x")
    assert exc.value.status == 409
    assert AuditLog.objects.filter(action="commitment.fulfil", object_id=str(c.pk)).count() == 1


def test_breach_creates_a_negative_record_and_tells_subject_and_department(
    clerk, department, django_capture_on_commit_callbacks
):
    clerk.email = "clerk@scjg.example.cn"
    clerk.save()
    c = record_commitment(clerk, department, signer=company_signer(email="boss@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        breached = commitment_breach(actor=clerk, commitment=c, facts="承诺的资质条件经核查不实")
    assert breached.status == Commitment.Status.BREACHED
    record = Record.objects.get(pk=breached.breach_record_id)
    assert record.item.code == "WBXYCN" and record.item.nature == "negative"
    assert record.subject_id == c.subject_id and record.department_id == department.pk
    assert record.doc_number == c.number
    assert record.data["breach_facts"] == "承诺的资质条件经核查不实"
    # 一般 tier of 令第36号 (the default of negative information): public up to 1 year.
    assert record.disclosure_tier == "general"
    assert 360 <= (record.disclosure_end - clock.today()).days <= 366
    assert Record.objects.publicly_visible().filter(pk=record.pk).exists()
    notice = Notice.objects.get(department=department)
    assert c.number in notice.title and notice.email_to == "boss@example.com"
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.com", "clerk@scjg.example.cn"]
    assert "违诺" in mail.outbox[0].subject


def test_breach_of_a_person_commitment_finds_the_person(clerk, department):
    c = record_commitment(clerk, department, type="repair", signer=person_signer())
    breached = commitment_breach(actor=clerk, commitment=c, facts="未按承诺整改")
    record = breached.breach_record
    assert record.subject_id == c.subject_id
    assert PERSON_NAME == record.data["subject_name"]
    assert AuditLog.objects.filter(action="subject.reveal_id").exists()


def test_admin_adds_a_new_version_and_never_edits_one(client_as, admin_user):
    admin_user.is_staff = True
    admin_user.save()
    client = client_as(admin_user)
    v1 = CommitmentText.objects.get(type="tolerance", version=1)
    response = client.post(
        "/admin/rights/commitmenttext/add/",
        {
            "type": "tolerance",
            "title": "容缺受理承诺书（2027年版）",
            "body": "一、…二、…",
            "effective_from": "2027-01-01",
            "note": "按新规修订",
        },
    )
    assert response.status_code == 302
    v2 = CommitmentText.objects.get(type="tolerance", version=2)
    assert v2.title == "容缺受理承诺书（2027年版）"
    assert AuditLog.objects.filter(action="commitment_text.publish", object_id=str(v2.pk)).exists()
    client.post(
        f"/admin/rights/commitmenttext/{v1.pk}/change/",
        {"type": "tolerance", "title": "改", "body": "改", "effective_from": "2019-01-01"},
    )
    v1.refresh_from_db()
    assert v1.title != "改"
