"""知情 (issue 14 §7): a subject sees everything held about it, at the counter
(identity checked by the credit office's staff, recorded) or on the portal
with an access code issued after its authorisation letter; every look is
audited, and everyone else is refused."""

import datetime as dt

import pytest

from records.factories import PenaltyRecordFactory
from rights.factories import COMPANY_USCC, PERSON_ID, PERSON_NAME, company, person, public_record
from xinyong.core import clock
from xinyong.core.models import AuditLog
from xinyong.records.models import Record
from xinyong.rights.models import DisclosureAccess
from xinyong.rights.services import disclosure
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.services.checks import check_run

pytestmark = pytest.mark.django_db

COUNTER = "/staff/rights/disclosure/"
CODES = "/staff/rights/disclosure/codes/"


@pytest.fixture
def held(department, xzcf, officer):
    """A company with a public penalty, a withdrawn one (not public any more)
    and a check run against it by `officer`'s department."""
    subject = company()
    public = public_record(department=department, subject=subject)
    hidden = PenaltyRecordFactory(
        department=department,
        subject=subject,
        status=Record.Status.WITHDRAWN,
        doc_number="神市监罚〔2024〕99号",
        record_key="神市监罚〔2024〕99号",
    )
    check_run(
        actor=officer,
        department=officer.department,
        domain_code="ZFCG",
        matter="政府采购项目 SNJ-2026-001",
        query=Query(uscc=COMPANY_USCC),
        channel=Check.Channel.PAGE,
    )
    return subject, public, hidden


def _open_at_counter(client, **overrides):
    data = {
        "code": COMPANY_USCC,
        "name": "",
        "identity_note": "授权委托书 2026-001 及代理人身份证原件",
        "reason": "企业申请查询本单位信用信息",
    }
    data.update(overrides)
    return client.post(COUNTER, data)


def test_the_counter_records_who_whom_why_and_shows_the_whole_file(
    client_as, admin_user, held, department
):
    subject, public, hidden = held
    client = client_as(admin_user)
    response = _open_at_counter(client)
    assert response.status_code == 302
    access = DisclosureAccess.objects.get()
    assert response["Location"] == f"{COUNTER}{access.pk}/"
    verify = AuditLog.objects.get(action="disclosure.counter_verify")
    assert verify.actor_id == admin_user.pk
    assert verify.reason == "企业申请查询本单位信用信息"
    assert verify.after["subject_id"] == subject.pk
    assert "授权委托书" in verify.after["identity"]

    page = client.get(response["Location"]).content.decode()
    # Public and non-public records, with their content.
    assert public.doc_number in page and hidden.doc_number in page
    assert "不公开" in page and "已撤回" in page and "经营超过保质期的食品" in page
    # The check: which department, for which matter.
    assert department.name in page and "政府采购项目 SNJ-2026-001" in page
    # No report yet: the section says so.
    assert 'id="dossier-no-reports"' in page
    printed = client.get(response["Location"], {"print": "1"})
    assert printed.status_code == 200 and "@media print" in printed.content.decode()
    views = AuditLog.objects.filter(action="disclosure.view").order_by("pk")
    assert [v.after["print"] for v in views] == [False, True]
    assert all(v.actor_id == admin_user.pk for v in views)


def test_a_person_is_found_by_id_number_and_name_only(client_as, admin_user, department, xzcf):
    subject = person()
    public_record(department=department, subject=subject)
    client = client_as(admin_user)
    wrong = _open_at_counter(client, code=PERSON_ID, name="李四")
    assert wrong.status_code == 404 and "未找到该信息主体" in wrong.content.decode()
    right = _open_at_counter(client, code=PERSON_ID, name=PERSON_NAME)
    assert right.status_code == 302
    assert DisclosureAccess.objects.get().subject == subject


def test_other_departments_are_refused(client_as, clerk, admin_user, held):
    client = client_as(clerk)
    assert client.get(COUNTER).status_code == 403
    assert _open_at_counter(client).status_code == 403
    assert client.get(CODES).status_code == 403
    assert not DisclosureAccess.objects.exists()
    # Nor may the clerk see a file another user opened.
    access = disclosure.disclosure_counter_open(
        actor=admin_user, code=COMPANY_USCC, name="", identity_note="身份证", reason="查询"
    )
    assert client.get(f"{COUNTER}{access.pk}/").status_code == 404
    assert not AuditLog.objects.filter(action="disclosure.view").exists()


def test_a_counter_grant_is_its_clerks_and_ends(client_as, admin_user, credit_office, held):
    from orgs.factories import CreditAdminFactory

    access = disclosure.disclosure_counter_open(
        actor=admin_user, code=COMPANY_USCC, name="", identity_note="身份证", reason="查询"
    )
    colleague = CreditAdminFactory(username="colleague", department=credit_office)
    assert client_as(colleague).get(f"{COUNTER}{access.pk}/").status_code == 404
    client = client_as(admin_user)
    assert client.get(f"{COUNTER}{access.pk}/").status_code == 200
    with clock.pinned(clock.now() + dt.timedelta(minutes=disclosure.COUNTER_MINUTES + 1)):
        assert client.get(f"{COUNTER}{access.pk}/").status_code == 404


def _issue(client):
    response = client.post(
        CODES, {"uscc": COMPANY_USCC, "letter": "授权书 2026-007", "reason": "投标需要"}
    )
    assert response.status_code == 200
    return response.context["issued"].code


def test_a_company_opens_its_file_with_an_issued_code(client, client_as, admin_user, held):
    _subject, public, hidden = held
    code = _issue(client_as(admin_user))
    access = DisclosureAccess.objects.get()
    # Stored hashed only.
    assert code not in str(DisclosureAccess.objects.values().get())
    assert code.replace("-", "") not in str(DisclosureAccess.objects.values().get())
    issue = AuditLog.objects.get(action="disclosure.code_issue")
    assert issue.actor_id == admin_user.pk and issue.reason == "投标需要"

    client.logout()
    response = client.post("/disclosure/", {"uscc": COMPANY_USCC, "code": code.lower()})
    assert response.status_code == 302 and response["Location"] == "/disclosure/file/"
    page = client.get("/disclosure/file/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    text = page.content.decode()
    assert public.doc_number in text and hidden.doc_number in text
    assert "政府采购项目 SNJ-2026-001" in text
    assert client.get("/disclosure/file/", {"print": "1"}).status_code == 200
    access.refresh_from_db()
    assert access.uses == 1 and access.last_used_at is not None
    assert (
        AuditLog.objects.filter(action="disclosure.code_use", object_id=str(access.pk)).count() == 1
    )
    assert AuditLog.objects.filter(action="disclosure.view", object_id=str(access.pk)).count() == 2


@pytest.mark.parametrize("case", ["wrong_code", "other_subject", "expired", "revoked"])
def test_bad_codes_are_refused_with_one_message_and_audited(
    client, client_as, admin_user, held, case
):
    from subjects.factories import SubjectFactory

    code = _issue(client_as(admin_user))
    access = DisclosureAccess.objects.get()
    uscc = COMPANY_USCC
    if case == "wrong_code":
        code = "AAAA-BBBB-CCCC"
    elif case == "other_subject":
        uscc = "91350200776049653A"
        SubjectFactory(name="另一家公司", uscc=uscc)
    elif case == "revoked":
        client.post(f"{CODES}{access.pk}/revoke/")
        assert AuditLog.objects.filter(action="disclosure.code_revoke").exists()
    client.logout()
    when = clock.now() + dt.timedelta(days=8) if case == "expired" else clock.now()
    with clock.pinned(when):
        response = client.post("/disclosure/", {"uscc": uscc, "code": code})
        assert response.status_code == 404
        assert "授权查询码不正确，或查询码已过期、已作废" in response.content.decode()
        assert client.get("/disclosure/file/").status_code == 302  # back to the form
    refused = AuditLog.objects.get(action="disclosure.code_refuse")
    assert refused.object_id == uscc and code not in str(refused.after)
    access.refresh_from_db()
    assert access.uses == 0


def test_the_portal_session_ends_and_guessing_is_rate_limited(client, client_as, admin_user, held):
    code = _issue(client_as(admin_user))
    client.logout()
    client.post("/disclosure/", {"uscc": COMPANY_USCC, "code": code})
    with clock.pinned(clock.now() + dt.timedelta(minutes=disclosure.CODE_SESSION_MINUTES + 1)):
        assert client.get("/disclosure/file/").status_code == 302
    statuses = [
        client.post("/disclosure/", {"uscc": COMPANY_USCC, "code": f"WRONG{n}"}).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


def test_reports_appear_once_the_reports_app_registers_them(held):
    from xinyong.rights import dossier

    subject = held[0]
    assert dossier.subject_dossier(subject).reports == []
    issued = dossier.ReportIssued(
        number="BG2026001", kind="专项信用报告", issued_on=dt.date(2026, 1, 5), requested_by="本人"
    )

    def source(s):
        return [issued] if s == subject else []

    dossier.register_report_source(source)
    try:
        assert dossier.subject_dossier(subject).reports == [issued]
    finally:
        dossier._REPORT_SOURCES.remove(source)


def test_the_file_costs_the_same_few_statements_whatever_it_holds(
    held, department, django_assert_max_num_queries
):
    from xinyong.rights.dossier import subject_dossier

    subject = held[0]
    for _ in range(10):
        public_record(department=department, subject=subject)
    # records, entries, checks, objections, the reports issued (reports.sources) and lookups
    with django_assert_max_num_queries(7):
        dossier = subject_dossier(subject)
        assert len(dossier.records) == 12 and len(dossier.checks) == 1
        assert [f for r in dossier.records for f in r.fields]
