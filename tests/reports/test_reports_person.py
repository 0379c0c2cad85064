"""A natural person's report: only the credit office's staff at the counter, for the person
in person (ID checked) or on written authorisation; every refusal and read audited; the
public verification page masks the person and shows no content."""

import pytest
from django.test import TestCase

from records.factories import PenaltyRecordFactory
from reports.factories import pdf_text
from subjects.factories import SubjectFactory
from support.tasks import run_ready_tasks
from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog
from xinyong.reports import services
from xinyong.reports.models import Report
from xinyong.reports.storage import read_pdf
from xinyong.subjects.hashing import id_digest

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def person(department):
    subject = SubjectFactory(
        kind="person", name="张三丰", id_digest=id_digest(ID_NUMBER), id_masked="110105********002X"
    )
    PenaltyRecordFactory(
        subject=subject,
        department=department,
        doc_number="神市监罚〔2026〕99号",
        published_on=clock.today(),
    )
    return subject


def ask(actor, person, **kw):
    defaults = {
        "subject": person,
        "kind": "person",
        "purpose": "本人申请",
        "channel": Report.Channel.COUNTER,
        "person_basis": "self",
        "id_number": ID_NUMBER,
        "enqueue": False,
    }
    return services.report_request(actor=actor, **{**defaults, **kw})


def refusals(person):
    return AuditLog.objects.filter(action="person_report.refuse", object_id=str(person.pk))


def test_department_staff_and_api_are_refused_and_audited(person, clerk):
    with pytest.raises(ApplicationError) as error:
        ask(clerk, person)
    assert error.value.code == "person_report_refused"
    assert "信用办授权人员" in error.value.message
    row = refusals(person).get()
    assert row.actor_id == clerk.pk
    assert row.object_label == "张**"  # the log names the person masked
    with pytest.raises(ApplicationError):
        ask(None, person, channel=Report.Channel.CLI)
    assert refusals(person).count() == 2
    assert not Report.objects.exists()


def test_credit_office_needs_the_persons_id_or_an_authorisation(person, admin_user):
    with pytest.raises(ApplicationError, match="身份核验未通过"):
        ask(admin_user, person, id_number="110105194912310021")
    with pytest.raises(ApplicationError, match="授权书编号"):
        ask(admin_user, person, person_basis="authorised", id_number="")
    assert refusals(person).count() == 2
    report = ask(
        admin_user, person, person_basis="authorised", authorisation="SQ-2026-001", id_number=""
    )
    assert report.person_basis == "authorised"


def test_counter_issues_a_person_report_that_only_its_staff_can_read(
    person, admin_user, clerk, client_as
):
    client = client_as(admin_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/staff/reports/",
            {"code": ID_NUMBER, "kind": "person", "purpose": "本人查询", "person_basis": "self"},
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED and report.task_id
    page = client.get(f"/staff/reports/{report.pk}/")
    assert 'http-equiv="refresh"' in page.content.decode()  # follows the queued work
    assert run_ready_tasks() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED
    text = "".join(pdf_text(read_pdf(report.number))[0].split())
    assert "张三丰" in text and "神市监罚〔2026〕99号" in text
    assert "110105********002X" in text and ID_NUMBER not in text

    download = client.get(f"/staff/reports/{report.pk}/file.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert AuditLog.objects.filter(action="report.download", object_id=str(report.pk)).count() == 1

    # Another department's clerk: not found (nor may probe it).
    other = client_as(clerk).get(f"/staff/reports/{report.pk}/file.pdf")
    assert other.status_code == 404

    # The public page: masked subject, number, kind, date, hash; no content.
    public = client.get(f"/reports/verify/{report.number}/").content.decode()
    assert report.number in public and report.content_hash in public
    assert "张**" in public and "张三丰" not in public
    assert "神市监罚" not in public and ID_NUMBER not in public


def test_verify_page_of_an_unknown_number_is_404(client, db):
    response = client.get("/reports/verify/XY20260101-NOTHERE1/")
    assert response.status_code == 404
    assert "未找到该报告编号" in response.content.decode()
