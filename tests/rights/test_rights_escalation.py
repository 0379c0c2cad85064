"""Issue 14 §8: the staff side of objections. Overdue objections escalate to
the credit office once per step; each routing and decision step tells whom
it concerns (orgs.notices: the staff home and email); the queue page's
filters (status, department, overdue) and working-day countdowns."""

import pytest
from django.core import mail

from orgs.factories import ClerkFactory
from rights.factories import company, company_applicant, file_objection, public_record
from support.tasks import run_ready_tasks
from xinyong.core.models import AuditLog
from xinyong.core.tasks import periodic_tasks
from xinyong.orgs.models import Notice
from xinyong.rights import services, tasks
from xinyong.rights.models import Objection, ObjectionEscalation
from xinyong.rights.services.escalation import objection_escalate_overdue

pytestmark = pytest.mark.django_db
S = Objection.Status
QUEUE = "/staff/rights/objections/"


def _office_notices():
    return list(Notice.objects.filter(department__isnull=True).order_by("pk"))


def test_an_overdue_objection_escalates_once_per_step(
    department, xzcf, office_user, clerk, pin_today
):
    pin_today("2025-09-29")
    record = public_record(department=department, subject=company())
    o = file_objection(record).objection  # accept due 2025-10-09 (国庆 in between)
    pin_today("2025-10-09")
    assert objection_escalate_overdue() == 0  # due today: not late yet
    pin_today("2025-10-10")
    assert objection_escalate_overdue() == 1
    (notice,) = _office_notices()
    assert o.number in notice.title and "受理逾期 1 个工作日" in notice.title
    assert notice.link == f"{QUEUE}{o.pk}/"
    assert AuditLog.objects.filter(action="objection.escalate", object_id=str(o.pk)).count() == 1
    # The next runs say nothing new about the same step.
    pin_today("2025-10-13")
    assert objection_escalate_overdue() == 0
    assert ObjectionEscalation.objects.get().step == "accept"
    # A later step that runs late is a new escalation.
    services.objection_accept(actor=office_user, objection=o)
    o = services.objection_route(actor=office_user, objection=o)  # verify due 2025-10-27
    pin_today("2025-10-28")
    before = len(_office_notices())
    assert objection_escalate_overdue() == 1
    assert ObjectionEscalation.objects.filter(objection=o).count() == 2
    assert "核查逾期" in _office_notices()[before].title
    # Closed: no more escalation, however late.
    services.objection_verify(actor=clerk, objection=o, outcome=S.UPHELD, note="无误")
    services.objection_close(actor=office_user, objection=o, reply="维持")
    pin_today("2025-12-01")
    assert objection_escalate_overdue() == 0


def test_the_worker_escalates_on_its_schedule(department, xzcf, pin_today):
    assert tasks.escalate_overdue in [p.task for p in periodic_tasks()]
    pin_today("2025-09-29")
    file_objection(public_record(department=department, subject=company()))
    pin_today("2025-10-20")
    tasks.escalate_overdue.enqueue()
    assert run_ready_tasks() == 1
    assert len(_office_notices()) == 1


def test_each_step_tells_whom_it_concerns(
    department, xzcf, office_user, clerk, django_capture_on_commit_callbacks
):
    clerk.email = "clerk@scjg.example"
    clerk.save()
    record = public_record(department=department, subject=company())
    with django_capture_on_commit_callbacks(execute=True):
        filed = services.objection_submit(
            record_id=record.pk,
            applicant=company_applicant(email="boss@company.example"),
            reason="记录有误",
        )
        o = filed.objection
        assert o.applicant_email == "boss@company.example"
        services.objection_accept(actor=office_user, objection=o)
        services.objection_route(actor=office_user, objection=o)
    # The department is told it must verify (its staff home and its users' mail).
    routed = Notice.objects.get(department=department)
    assert o.number in routed.title and "转交本部门核查" in routed.title
    assert any(m.to == ["clerk@scjg.example"] and o.number in m.subject for m in mail.outbox)
    # The applicant, who left an address, is told of the acceptance.
    to_applicant = [m for m in mail.outbox if m.to == ["boss@company.example"]]
    assert len(to_applicant) == 1 and "受理" in to_applicant[0].subject
    assert "查询密码" in to_applicant[0].body and filed.secret not in to_applicant[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_verify(
            actor=clerk,
            objection=o,
            outcome=S.CORRECTED,
            note="已更正",
            corrections={"处罚内容": "罚款人民币0.3万元"},
        )
        services.objection_close(actor=office_user, objection=o, reply="已更正，请查看")
    verified = [n for n in _office_notices() if "已核查" in n.title]
    assert len(verified) == 1 and "更正" in verified[0].title
    assert [m.subject for m in mail.outbox if m.to == ["boss@company.example"]][-1].endswith(
        "已办结"
    )


def test_no_email_no_mail_to_the_applicant(department, xzcf, office_user):
    record = public_record(department=department, subject=company())
    o = file_objection(record).objection
    services.objection_accept(actor=office_user, objection=o)
    assert not Notice.objects.exclude(email_to="").exists()


def test_the_api_takes_an_optional_email_and_checks_it(client, record):
    body = {
        "record_id": record.pk,
        "applicant": {
            "name": "神农架林区某某建材有限公司",
            "kind": "legal",
            "code": "91110000600037341L",
            "phone": "0719-3331234",
            "email": "not-an-address",
        },
        "reason": "记录有误",
    }
    bad = client.post("/api/v1/public/objections", body, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_email" and "电子邮箱" in bad.json()["message"]
    body["applicant"]["email"] = "boss@company.example"
    ok = client.post("/api/v1/public/objections", body, content_type="application/json")
    assert ok.status_code == 201 and set(ok.json()) == {"number", "secret", "status"}
    assert Objection.objects.get().applicant_email == "boss@company.example"


@pytest.fixture
def queue(department, other_department, xzcf, office_user, pin_today):
    """Two objections at `department` (one accepted, one still to accept,
    overdue) and one at `other_department`."""
    from subjects.factories import SubjectFactory

    pin_today("2025-09-29")
    late = file_objection(public_record(department=department, subject=company())).objection
    pin_today("2025-10-20")
    accepted = file_objection(
        public_record(
            department=department,
            subject=SubjectFactory(name="神农架林区某某建材有限公司", uscc="91350200776049653A"),
        ),
        company_applicant(code="91350200776049653A"),
    ).objection
    services.objection_accept(actor=office_user, objection=accepted)
    elsewhere = file_objection(
        public_record(
            department=other_department,
            subject=SubjectFactory(name="神农架林区某某建材有限公司", uscc="9135021359498494XQ"),
        ),
        company_applicant(code="9135021359498494XQ"),
    ).objection
    return late, accepted, elsewhere


def _numbers(response) -> set[str]:
    rows = response.context["rows"]
    return {o.number for o, _ in rows}


def test_the_queue_filters_by_status_department_and_overdue(
    client_as, office_user, clerk, department, other_department, queue
):
    late, accepted, elsewhere = queue
    client = client_as(office_user)
    assert _numbers(client.get(QUEUE)) == {late.number, accepted.number, elsewhere.number}
    assert _numbers(client.get(QUEUE, {"department": other_department.pk})) == {elsewhere.number}
    assert _numbers(client.get(QUEUE, {"status": S.ACCEPTED})) == {accepted.number}
    assert _numbers(client.get(QUEUE, {"overdue": "1"})) == {late.number}
    both = client.get(QUEUE, {"department": department.pk, "overdue": "1"})
    assert _numbers(both) == {late.number}
    page = client.get(QUEUE).content.decode()
    assert "已逾期 8 个工作日" in page  # accept due 10-09; 10-10…10-20 (10-11 worked, weekends off)
    assert "剩 15 个工作日" in page  # the accepted one's reply: filed today
    # A department's clerk sees its own only, whatever the department asked.
    own = client_as(clerk)
    assert _numbers(own.get(QUEUE)) == {late.number, accepted.number}
    assert _numbers(own.get(QUEUE, {"department": other_department.pk})) == {
        late.number,
        accepted.number,
    }
    assert 'name="department"' not in own.get(QUEUE).content.decode()
    stranger = ClerkFactory(username="stranger", department=other_department)
    assert _numbers(client_as(stranger).get(QUEUE)) == {elsewhere.number}
