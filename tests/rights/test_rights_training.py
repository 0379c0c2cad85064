"""Repair training: sessions, enrolment (staff and portal), attendance, the
certificate, and every refusal."""

import datetime as dt

import pytest
from django.urls import reverse

from rights.commitments import company_signer, person_signer
from rights.factories import COMPANY_USCC, company, person
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.rights.models import TrainingEnrolment
from xinyong.rights.services.training import (
    training_enrol,
    training_enrol_public,
    training_mark,
    training_session_create,
)

pytestmark = pytest.mark.django_db


def make_session(actor, organiser, *, days=7, capacity=2, mode="onsite"):
    return training_session_create(
        actor=actor,
        organiser=organiser,
        title="信用修复专题培训",
        held_on=clock.today() + dt.timedelta(days=days),
        mode=mode,
        place="林区政务服务中心三楼会议室",
        capacity=capacity,
    )


def test_session_refusals(clerk, department, other_department):
    with pytest.raises(NotFoundError):
        make_session(clerk, other_department)
    with pytest.raises(ApplicationError) as exc:
        make_session(clerk, department, days=-1)
    assert exc.value.code == "held_in_past"
    with pytest.raises(ApplicationError) as exc:
        make_session(clerk, department, capacity=0)
    assert exc.value.code == "invalid_capacity"
    with pytest.raises(ApplicationError) as exc:
        make_session(clerk, department, mode="tv")
    assert exc.value.code == "invalid_mode"


def test_enrol_capacity_duplicate_and_past(clerk, department, pin_today):
    session = make_session(clerk, department, capacity=2)
    a, b, c = company(), SubjectFactory(), SubjectFactory()
    training_enrol(actor=clerk, session=session, subject=a, participant="李四")
    with pytest.raises(ApplicationError) as exc:
        training_enrol(actor=clerk, session=session, subject=a, participant="李四")
    assert exc.value.code == "already_enrolled" and exc.value.status == 409
    training_enrol(actor=clerk, session=session, subject=b, participant="王五")
    with pytest.raises(ApplicationError) as exc:
        training_enrol(actor=clerk, session=session, subject=c, participant="赵六")
    assert exc.value.code == "session_full"
    pin_today(session.held_on + dt.timedelta(days=1))
    big = make_session(clerk, department, capacity=10, days=0)
    pin_today(big.held_on + dt.timedelta(days=1))
    with pytest.raises(ApplicationError) as exc:
        training_enrol(actor=clerk, session=big, subject=c, participant="赵六")
    assert exc.value.code == "session_past"


def test_attendance_and_certificate(clerk, other_clerk, department, pin_today, client_as):
    session = make_session(clerk, department)
    came = training_enrol(actor=clerk, session=session, subject=company(), participant="李四")
    away = training_enrol(
        actor=clerk, session=session, subject=SubjectFactory(), participant="王五"
    )
    with pytest.raises(ApplicationError) as exc:
        training_mark(actor=clerk, enrolment=came, attended=True)
    assert exc.value.code == "session_not_held"
    pin_today(session.held_on)
    with pytest.raises(NotFoundError):
        training_mark(actor=other_clerk, enrolment=came, attended=True)
    came = training_mark(actor=clerk, enrolment=came, attended=True)
    away = training_mark(actor=clerk, enrolment=away, attended=False)
    assert came.status == "attended"
    assert came.certificate_number == f"XFPX{session.held_on:%Y%m%d}{came.pk:06d}"
    assert away.status == "absent" and away.certificate_number is None
    with pytest.raises(ApplicationError) as exc:
        training_mark(actor=clerk, enrolment=came, attended=False)
    assert exc.value.code == "wrong_status"
    client = client_as(clerk)
    page = client.get(reverse("rights:training_certificate", args=[came.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and came.certificate_number in html
    assert "信用修复培训结业证书" in html and "神农架林区某某建材有限公司" in html
    assert client.get(reverse("rights:training_certificate", args=[away.pk])).status_code == 302
    assert (
        client_as(other_clerk)
        .get(reverse("rights:training_certificate", args=[came.pk]))
        .status_code
        == 404
    )


def test_staff_pages_enrol_by_code_and_mark(client_as, clerk, department, pin_today):
    client = client_as(clerk)
    response = client.post(
        reverse("rights:training_list"),
        {
            "title": "第一期信用修复培训",
            "held_on": clock.today().isoformat(),
            "mode": "online",
            "place": "https://meeting.example.cn/123",
            "capacity": 30,
        },
    )
    assert response.status_code == 302
    session_url = response["Location"]
    pk = int(session_url.rstrip("/").split("/")[-1])
    company()
    enrol_url = reverse("rights:training_enrol", args=[pk])
    unknown = client.post(enrol_url, {"subject_code": "91350200776049653A", "participant": "李四"})
    assert unknown.status_code == 400 and "未找到该信用主体" in unknown.content.decode()
    assert (
        client.post(enrol_url, {"subject_code": COMPANY_USCC, "participant": "李四"}).status_code
        == 302
    )
    e = TrainingEnrolment.objects.get()
    client.post(reverse("rights:training_mark", args=[e.pk]), {"attended": "1"})
    e.refresh_from_db()
    assert e.status == "attended"
    page = client.get(session_url).content.decode()
    assert e.certificate_number in page


def test_portal_enrolment_checks_identity(client, clerk, department):
    session = make_session(clerk, department)
    url = reverse("portal:training_enrol", args=[session.pk])
    assert "信用修复专题培训" in client.get(url).content.decode()
    bad = client.post(
        url,
        {
            "signer_kind": "legal",
            "signer_name": "某公司",
            "signer_code": "91110000600037341X",
            "phone": "13800000000",
            "participant": "李四",
        },
    )
    assert bad.status_code == 422 and "统一社会信用代码" in bad.content.decode()
    unknown = client.post(
        url,
        {
            "signer_kind": "person",
            "signer_name": person_signer().name,
            "signer_code": person_signer().code,
            "phone": "13800001111",
            "participant": person_signer().name,
        },
    )
    assert unknown.status_code == 422 and not TrainingEnrolment.objects.exists()
    person()
    ok = client.post(
        url,
        {
            "signer_kind": "person",
            "signer_name": person_signer().name,
            "signer_code": person_signer().code,
            "phone": "13800001111",
            "participant": person_signer().name,
        },
    )
    assert ok.status_code == 201
    e = TrainingEnrolment.objects.get()
    assert e.channel == "portal" and e.subject.kind == "person"
    with pytest.raises(ApplicationError):
        training_enrol_public(session=session, signer=person_signer(), participant="张三丰")


def test_company_signer_enrols_through_the_service(clerk, department):
    company()
    session = make_session(clerk, department)
    e = training_enrol_public(session=session, signer=company_signer(), participant="李四")
    assert e.subject.uscc == COMPANY_USCC and e.status == "enrolled"


def test_the_repair_guide_links_the_forms_and_coming_sessions(client, clerk, department):
    session = make_session(clerk, department)
    html = client.get(reverse("portal:guide", args=["repair"])).content.decode()
    assert reverse("portal:training_enrol", args=[session.pk]) in html
    assert reverse("portal:commitment_new") + "?type=repair" in html
