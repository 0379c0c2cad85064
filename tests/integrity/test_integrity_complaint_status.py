"""A complaint's public status page (number + secret), the 政务失信 record of
a substantiated complaint, and the complainant's emails at each step."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.factories import ClerkFactory, CreditAdminFactory, CreditOfficeFactory, DepartmentFactory
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.identifiers import resident_id_with_check, uscc_with_checks
from xinyong.core.models import AuditLog
from xinyong.integrity import selectors, services
from xinyong.integrity.models import GovComplaint
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db

ORGAN_USCC = uscc_with_checks("11429021" + "80000001")
COMPANY_USCC = uscc_with_checks("91429021" + "70000001")
PERSON_ID = resident_id_with_check("42902119800101123")


@pytest.fixture
def staff(db):
    office = CreditOfficeFactory()
    handling = DepartmentFactory(short_code="zhujian", name="林区住房和城乡建设委员会")
    return {
        "admin": CreditAdminFactory(username="xyb", department=office),
        "handling": handling,
        "handler": ClerkFactory(username="zj", department=handling),
    }


def _file(email: str = "", kind: str = "person", code: str = PERSON_ID) -> services.Filed:
    return services.complaint_submit(
        complainant=services.Complainant(
            name="张三", kind=kind, code=code, phone="13800000000", email=email
        ),
        body_name="神农架林区某镇人民政府",
        body_uscc=ORGAN_USCC,
        contract="招商引资协议",
        facts="约定的奖补资金逾期一年未兑现。",
    )


def _accepted(staff, **kwargs) -> GovComplaint:
    filed = _file(**kwargs)
    return services.complaint_accept(
        actor=staff["admin"], complaint=filed.complaint, department=staff["handling"]
    )


# -- 1. the status page ---------------------------------------------------------------


def test_the_secret_is_shown_once_and_kept_only_as_a_digest(client, staff):
    response = client.post(
        reverse("integrity_public:complaint_file"),
        {
            "complainant_kind": "legal",
            "complainant_name": "神农架林海商贸有限公司",
            "complainant_code": COMPANY_USCC,
            "complainant_phone": "0719-3331234",
            "complainant_email": "boss@example.com",
            "body_name": "神农架林区某镇人民政府",
            "body_uscc": ORGAN_USCC,
            "contract": "招商引资协议",
            "facts": "奖补资金未兑现",
        },
    )
    assert response.status_code == 201
    complaint = GovComplaint.objects.get()
    assert complaint.complainant_email == "boss@example.com"
    page = response.content.decode()
    secret = page.split('id="filed-secret"><code>')[1].split("</code>")[0]
    assert len(secret) >= 20 and secret not in complaint.secret_digest
    assert len(complaint.secret_digest) == 64
    # The secret opens the status page; it is never in the audit log.
    assert secret not in str(list(AuditLog.objects.values_list("before", "after", "reason")))
    status = client.post(
        reverse("integrity_public:complaint_status"),
        {"number": complaint.number, "secret": secret},
    )
    assert status.status_code == 200
    assert "待受理" in status.content.decode() and complaint.body_name in status.content.decode()


def test_the_status_page_follows_each_step_without_personal_data(client, staff):
    filed = _file()
    number, secret = filed.complaint.number, filed.secret
    url = reverse("integrity_public:complaint_status")
    accepted = services.complaint_accept(
        actor=staff["admin"], complaint=filed.complaint, department=staff["handling"]
    )
    page = client.post(url, {"number": number, "secret": secret}).content.decode()
    assert "办理中" in page and "林区住房和城乡建设委员会" in page
    services.complaint_close(
        actor=staff["handler"],
        complaint=accepted,
        outcome="unfounded",
        note="经核实，奖补资金已按约定拨付。",
    )
    page = client.post(url, {"number": number, "secret": secret}).content.decode()
    assert "已办结" in page and "投诉不属实" in page and "奖补资金已按约定拨付" in page
    # The complainant's name, phone and ID are not on the public page.
    for private in ("张三", "13800000000", PERSON_ID, filed.complaint.complainant_code_masked):
        assert private not in page


@pytest.mark.parametrize("wrong", ["secret", "number"])
def test_a_wrong_secret_or_number_is_404_alike(client, staff, wrong):
    filed = _file()
    number = filed.complaint.number if wrong == "secret" else "ZWTS20250101999999"
    secret = "wrong-secret" if wrong == "secret" else filed.secret
    response = client.post(
        reverse("integrity_public:complaint_status"), {"number": number, "secret": secret}
    )
    assert response.status_code == 404
    assert "未找到该投诉，请核对投诉编号和查询密码" in response.content.decode()
    api = client.get(f"/api/v1/public/complaints/{number}", {"secret": secret})
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert "办理中" not in response.content.decode()


def test_an_unknown_number_costs_the_same_as_a_wrong_secret(staff):
    """The same queries (one) and one digest comparison either way."""
    filed = _file()
    with CaptureQueriesContext(connection) as known:
        with pytest.raises(NotFoundError):
            selectors.complaint_by_secret(number=filed.complaint.number, secret="nope")
    with CaptureQueriesContext(connection) as unknown:
        with pytest.raises(NotFoundError):
            selectors.complaint_by_secret(number="ZWTS20250101999999", secret="nope")
    assert len(known) == len(unknown) == 1


def test_a_complaint_without_a_secret_opens_for_none(staff):
    filed = _file()
    GovComplaint.objects.filter(pk=filed.complaint.pk).update(secret_digest="")
    for secret in ("", filed.secret):
        with pytest.raises(NotFoundError):
            selectors.complaint_by_secret(number=filed.complaint.number, secret=secret)


def test_the_api_answers_status_dates_and_outcome(client, staff, pin_today):
    pin_today(dt.datetime(2025, 9, 26, 9, 0))
    filed = _file()
    accepted = services.complaint_accept(
        actor=staff["admin"], complaint=filed.complaint, department=staff["handling"]
    )
    pin_today(dt.datetime(2025, 10, 20, 9, 0))
    services.complaint_close(
        actor=staff["handler"], complaint=accepted, outcome="substantiated", note="属实"
    )
    r = client.get(
        f"/api/v1/public/complaints/{filed.complaint.number.lower()}", {"secret": filed.secret}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "closed" and body["status_text"] == "已办结"
    assert body["filed_on"] == "2025-09-26" and body["accept_due"] == "2025-10-10"
    assert body["accepted_on"] == "2025-09-26" and body["closed_on"] == "2025-10-20"
    assert body["outcome"] == "substantiated" and body["outcome_text"] == "投诉属实"
    assert body["outcome_note"] == "属实" and body["breach_recorded"] is True
    assert body["department"] == "林区住房和城乡建设委员会"
    text = r.content.decode()
    for private in ("张三", "13800000000", "complainant", PERSON_ID[:6] + "*"):
        assert private not in text


def test_the_status_lookups_are_rate_limited(client, staff, settings):
    settings.RATE_LIMITS = {"search": (3, 60)}
    filed = _file()
    url = f"/api/v1/public/complaints/{filed.complaint.number}"
    codes = [client.get(url, {"secret": "guess"}).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    refused = client.get(url, {"secret": filed.secret})
    assert refused.status_code == 429 and "过于频繁" in refused.json()["message"]
    page = client.post(
        reverse("integrity_public:complaint_status"),
        {"number": filed.complaint.number, "secret": filed.secret},
    )
    assert page.status_code == 429


# -- 2. the 政务失信 record of a substantiated complaint -------------------------------


def test_substantiated_creates_the_government_breach_record(staff, pin_today):
    pin_today(dt.datetime(2025, 10, 20, 9, 0))
    complaint = _accepted(staff)
    closed = services.complaint_close(
        actor=staff["handler"],
        complaint=complaint,
        outcome="substantiated",
        note="未按约定兑现奖补资金",
    )
    record = Record.objects.get(pk=closed.breach_record_id)
    assert record.item.code == "ZWSX_WY" and record.item.nature == "negative"
    assert record.subject.uscc == ORGAN_USCC
    assert record.department_id == staff["handling"].pk
    assert record.doc_number == closed.number
    assert record.data["breach"] == "未按约定兑现奖补资金"
    assert record.decision_date == dt.date(2025, 10, 20)
    # 政务共享, never on the portal.
    assert not Record.objects.publicly_visible().filter(pk=record.pk).exists()
    audit = AuditLog.objects.get(action="gov_complaint.close")
    assert audit.after["breach_record"] == record.pk


@pytest.mark.parametrize("outcome", ["partly", "unfounded"])
def test_other_outcomes_create_no_record(staff, outcome):
    complaint = _accepted(staff)
    closed = services.complaint_close(
        actor=staff["handler"], complaint=complaint, outcome=outcome, note="核实情况"
    )
    assert closed.breach_record_id is None
    assert not Record.objects.filter(item__code="ZWSX_WY").exists()


def test_a_refused_record_leaves_the_complaint_open(staff):
    """The record and the closing are one transaction: if the intake refuses
    the row (here: the item switched off), nothing changes."""
    from xinyong.catalog.models import CatalogItem

    complaint = _accepted(staff)
    CatalogItem.objects.filter(code="ZWSX_WY").update(is_active=False)
    with pytest.raises(ApplicationError) as exc:
        services.complaint_close(
            actor=staff["handler"], complaint=complaint, outcome="substantiated", note="属实"
        )
    assert "政府违约失信" in exc.value.message
    complaint.refresh_from_db()
    assert complaint.status == "accepted" and complaint.breach_record_id is None
    assert not AuditLog.objects.filter(action="gov_complaint.close").exists()


def test_the_staff_page_links_the_record(staff, client_as):
    complaint = _accepted(staff)
    closed = services.complaint_close(
        actor=staff["handler"], complaint=complaint, outcome="substantiated", note="属实"
    )
    page = (
        client_as(staff["handler"])
        .get(reverse("integrity:complaint_detail", args=[closed.pk]))
        .content.decode()
    )
    assert reverse("records:detail", args=[closed.breach_record_id]) in page


# -- 3. the complainant's emails -------------------------------------------------------


def test_the_complainant_is_emailed_at_each_step(staff, django_capture_on_commit_callbacks):
    def mails_to_complainant() -> list[str]:
        return [m.subject for m in mail.outbox if m.to == ["boss@example.com"]]

    with django_capture_on_commit_callbacks(execute=True):
        filed = _file(email="boss@example.com")
    assert mails_to_complainant() == ["您的政府违约失信投诉已提交"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.complaint_accept(
            actor=staff["admin"], complaint=filed.complaint, department=staff["handling"]
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_close(
            actor=staff["handler"], complaint=accepted, outcome="partly", note="部分兑现"
        )
    assert mails_to_complainant() == [
        "您的政府违约失信投诉已提交",
        "您的政府违约失信投诉已受理",
        "您的政府违约失信投诉已办结",
    ]
    last = [m for m in mail.outbox if m.to == ["boss@example.com"]][-1]
    assert "部分属实" in last.body and "部分兑现" in last.body
    assert filed.secret not in "".join(m.body for m in mail.outbox)


def test_a_refusal_is_emailed_with_its_reason(staff, django_capture_on_commit_callbacks):
    filed = _file(email="boss@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reject(
            actor=staff["admin"], complaint=filed.complaint, reason="不属于政府违约事项"
        )
    (sent,) = [m for m in mail.outbox if m.to == ["boss@example.com"]]
    assert sent.subject == "您的政府违约失信投诉不予受理" and "不属于政府违约事项" in sent.body


def test_no_address_no_email(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filed = _file()
        services.complaint_reject(
            actor=staff["admin"], complaint=filed.complaint, reason="重复投诉"
        )
    assert all("您的政府违约失信投诉" not in m.subject for m in mail.outbox)


def test_an_invalid_email_is_refused(staff):
    with pytest.raises(ApplicationError) as exc:
        _file(email="not-an-address")
    assert "电子邮箱" in exc.value.message
    assert not GovComplaint.objects.exists()
