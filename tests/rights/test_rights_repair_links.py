"""Repair applications joined to commitments and training (issue 14 §3, §5,
§6): filing with `"commitment": true` records a 信用修复型 commitment that
the credit office's ratio counts; the training condition is read from the
training records, on the eligibility page and by the decision; commitments
go to the exchange outbox when signed, kept or breached."""

import datetime as dt
import re

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory
from rights.commitments import record_commitment
from rights.factories import COMPANY_USCC, company
from rights.repair_factories import file_repair, negative_record
from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.lists.models import ListType
from xinyong.rights import services
from xinyong.rights.coverage import commitment_ratio
from xinyong.rights.eligibility import FAIL, PASS, repair_eligibility
from xinyong.rights.models import Commitment, CommitmentText, Repair, RepairRule
from xinyong.rights.services.commitment_fulfilment import commitment_breach, commitment_fulfil
from xinyong.rights.services.commitments import (
    commitment_sign_for_repair,
    commitment_text_for,
    commitment_text_publish,
)
from xinyong.rights.services.training import (
    training_enrol,
    training_mark,
    training_session_create,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/public/repairs"


@pytest.fixture
def record(department, xzcf):
    return negative_record(department=department, subject=company(), decided=dt.date(2025, 1, 2))


def api_body(record):
    return {
        "record_id": record.pk,
        "applicant": {
            "name": "神农架林区某某建材有限公司",
            "kind": "legal",
            "code": COMPANY_USCC,
            "phone": "0719-3331234",
        },
        "reason": "罚款已缴清，违法行为已改正",
        "commitment": True,
    }


def commitment_messages(commitment):
    return list(
        OutboxMessage.objects.filter(
            topic="rights.commitment", key=f"Commitment:{commitment.pk}"
        ).order_by("id")
    )


def attend(clerk, department, subject, *, attended=True):
    """A session held today, the subject enrolled and marked, through the services."""
    session = training_session_create(
        actor=clerk,
        organiser=department,
        title="信用修复专题培训",
        held_on=clock.today(),
        mode="onsite",
        place="林区政务服务中心",
        capacity=5,
    )
    enrolment = training_enrol(actor=clerk, session=session, subject=subject, participant="李四")
    return training_mark(actor=clerk, enrolment=enrolment, attended=attended)


# 1. The commitment of a repair application.


def test_filing_through_the_api_records_the_repair_commitment(
    client, record, office_user, pin_today
):
    pin_today("2025-06-03")
    v2 = commitment_text_publish(
        actor=office_user,
        type="repair",
        title="信用修复承诺书（2025年版）",
        body="本单位郑重承诺：一、…五、如有违背，愿承担法律责任。",
        effective_from=dt.date(2025, 6, 1),
    )
    r = client.post(API, api_body(record), content_type="application/json")
    assert r.status_code == 201, r.content
    repair = Repair.objects.select_related("commitment").get(number=r.json()["number"])
    c = repair.commitment
    assert c.type == "repair" and c.text_id == v2.pk and c.text_body == v2.body
    assert repair.commitment_text == v2.body
    assert c.signed_on == dt.date(2025, 6, 3) and c.status == Commitment.Status.SIGNED
    assert c.subject_id == record.subject_id and c.department_id == repair.department_id
    assert c.is_published  # 信用修复型 commitments are published on the portal
    assert repair.number in c.matter and c.signer_code_masked == COMPANY_USCC
    assert AuditLog.objects.filter(action="commitment.sign", object_id=str(c.pk)).exists()
    (message,) = commitment_messages(c)
    assert message.payload["event"] == "sign" and message.payload["type"] == "repair"


def test_the_credit_office_receives_it_where_it_decides(record, credit_office, pin_today, xzcf):
    RepairRule.objects.create(
        code="office", name="信用办审核", basis="测试", item=xzcf, decider="credit_office"
    )
    pin_today("2025-06-03")
    repair = file_repair(record).repair
    assert repair.by_credit_office and repair.commitment.department_id == credit_office.pk


def test_the_commitment_is_recorded_once_per_application(record, pin_today):
    pin_today("2025-06-03")
    repair = file_repair(record).repair
    first = repair.commitment
    again = commitment_sign_for_repair(repair=Repair.objects.get(pk=repair.pk))
    assert again.pk == first.pk
    assert Commitment.objects.count() == 1 and len(commitment_messages(first)) == 1


def test_no_text_for_the_type_files_nothing(record, pin_today):
    pin_today("2025-06-03")
    CommitmentText.objects.filter(type="repair").delete()
    with pytest.raises(ApplicationError) as exc:
        file_repair(record)
    assert exc.value.code == "no_text" and "信用修复型" in exc.value.message
    assert not Repair.objects.exists() and not Commitment.objects.exists()


def test_the_credit_offices_ratio_counts_a_repair_commitment(department, xzcf, pin_today):
    pin_today("2025-06-03")
    ListType.objects.update(is_active=False)
    black = ListTypeFactory(code="TESTBLACK", early_removal_after_months=12)
    subject = company()
    ListEntryFactory(list_type=black, subject=subject)
    ListEntryFactory(list_type=black)
    record = negative_record(department=department, subject=subject, decided=dt.date(2025, 1, 2))
    before = commitment_ratio()
    assert (before.part, before.whole) == (0, 2)
    file_repair(record)
    after = commitment_ratio()
    assert (after.part, after.whole, after.percent, after.met) == (1, 2, "50.0%", True)


def test_the_portal_shows_and_signs_the_current_text(
    client, record, clerk, office_user, client_as, pin_today
):
    pin_today("2025-06-03")
    text = commitment_text_for("repair", clock.today())
    page = client.get(f"/repairs/new/?record={record.pk}").content.decode()
    assert text.body.splitlines()[0] in page
    filed = client.post(
        "/repairs/new/",
        {
            "record_id": record.pk,
            "applicant_kind": "legal",
            "applicant_name": "神农架林区某某建材有限公司",
            "applicant_code": COMPANY_USCC,
            "applicant_phone": "0719-3331234",
            "reason": "罚款已缴清",
            "commitment": "on",
        },
    )
    assert filed.status_code == 201
    number = re.search(r'id="filed-number">([^<]+)<', filed.content.decode()).group(1)
    repair = Repair.objects.get(number=number)
    assert repair.commitment.text_body == text.body
    detail = client_as(clerk).get(f"/staff/rights/repairs/{repair.pk}/").content.decode()
    assert f'id="repair-commitment" href="/staff/rights/commitments/{repair.commitment_id}/"' in (
        detail
    )
    assert repair.commitment.number in detail


# 2. Training read from the records.


@pytest.fixture
def training_rule(xzcf):
    return RepairRule.objects.create(
        code="train", name="须培训", basis="测试", item=xzcf, requires_training=True
    )


def test_eligibility_reads_the_training_records(
    client, record, clerk, department, training_rule, pin_today
):
    pin_today("2025-06-03")
    condition = {c.key: c for c in repair_eligibility(record).conditions}["training"]
    assert condition.state == FAIL and "参训记录" in condition.text
    page = client.get(f"/repairs/new/?record={record.pk}").content.decode()
    assert 'id="condition-training" class="condition-fail"' in page
    r = client.post(API, api_body(record), content_type="application/json")
    assert r.status_code == 422 and r.json()["details"]["condition"] == "training"
    # Absent from a session: still not met.
    attend(clerk, department, record.subject, attended=False)
    assert {c.key: c.state for c in repair_eligibility(record).conditions}["training"] == FAIL
    pin_today("2025-06-04")
    enrolment = attend(clerk, department, record.subject)
    condition = {c.key: c for c in repair_eligibility(record).conditions}["training"]
    assert condition.state == PASS and enrolment.certificate_number in condition.text
    page = client.get(f"/repairs/new/?record={record.pk}").content.decode()
    assert 'id="condition-training" class="condition-pass"' in page
    assert client.post(API, api_body(record), content_type="application/json").status_code == 201


def test_approval_reads_the_training_records_without_a_manual_override(
    record, clerk, department, client_as, pin_today, xzcf
):
    pin_today("2025-06-03")
    repair = file_repair(record).repair  # the general rule: no training then
    repair = services.repair_accept(actor=clerk, repair=repair)
    # The rule changed while the application was reviewed: training now required.
    RepairRule.objects.filter(pk=repair.rule_id).update(requires_training=True)
    c = client_as(clerk)
    detail = c.get(f"/staff/rights/repairs/{repair.pk}/").content.decode()
    assert 'id="repair-training" class="condition-fail"' in detail
    assert 'name="training_confirmed"' not in detail  # no manual confirmation
    refused = c.post(
        f"/staff/rights/repairs/{repair.pk}/approve/",
        {"note": "同意", "obligations_confirmed": "on", "training_confirmed": "on"},
    )
    assert refused.status_code == 400 and "参训记录" in refused.content.decode()
    repair.refresh_from_db()
    assert repair.status == Repair.Status.REVIEWING
    attend(clerk, department, record.subject)
    assert 'class="condition-pass"' in c.get(f"/staff/rights/repairs/{repair.pk}/").content.decode()
    ok = c.post(
        f"/staff/rights/repairs/{repair.pk}/approve/",
        {"note": "同意修复", "obligations_confirmed": "on"},
    )
    assert ok.status_code == 302
    repair.refresh_from_db()
    assert repair.status == Repair.Status.APPROVED and repair.training_confirmed


# 3. Commitments in the outbox.


def test_signed_kept_and_breached_commitments_go_to_the_outbox(clerk, department):
    kept = record_commitment(clerk, department)
    assert [m.payload["event"] for m in commitment_messages(kept)] == ["sign"]
    commitment_fulfil(actor=clerk, commitment=kept, facts="已按期补齐材料")
    messages = commitment_messages(kept)
    assert [m.payload["event"] for m in messages] == ["sign", "fulfil"]
    assert messages[1].payload["status"] == "fulfilled"
    assert messages[1].payload["facts"] == "已按期补齐材料"
    assert messages[1].department_id == department.pk

    broken = record_commitment(clerk, department, type="voluntary")
    broken = commitment_breach(actor=clerk, commitment=broken, facts="承诺事项经核查不实")
    last = commitment_messages(broken)[-1]
    assert last.payload["event"] == "breach" and last.payload["status"] == "breached"
    assert last.payload["breach_record_id"] == broken.breach_record_id is not None


def test_a_refused_finding_writes_no_message(clerk, department, other_clerk):
    c = record_commitment(clerk, department)
    with pytest.raises(ApplicationError):
        commitment_fulfil(actor=clerk, commitment=c, facts="")
    commitment_fulfil(actor=clerk, commitment=c, facts="已履约")
    with pytest.raises(ApplicationError):
        commitment_breach(actor=clerk, commitment=c, facts="再次认定")
    assert [m.payload["event"] for m in commitment_messages(c)] == ["sign", "fulfil"]
