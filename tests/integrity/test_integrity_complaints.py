"""政府违约失信投诉: filed on the portal, accepted or refused by the credit
office, closed by the handling department; deadlines in working days
(filed before 国庆 2025: the holiday and its make-up Saturdays counted)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.factories import ClerkFactory, CreditAdminFactory, CreditOfficeFactory, DepartmentFactory
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.identifiers import uscc_with_checks
from xinyong.core.models import AuditLog
from xinyong.integrity import services
from xinyong.integrity.models import GovComplaint
from xinyong.orgs.models import Notice

pytestmark = pytest.mark.django_db

ORGAN_USCC = uscc_with_checks("11429021" + "80000001")  # 机关
INSTITUTION_USCC = uscc_with_checks("12429021" + "80000002")  # 事业单位
COMPANY_USCC = uscc_with_checks("91429021" + "70000001")
PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def staff(db):
    office = CreditOfficeFactory()
    handling = DepartmentFactory(short_code="zhujian", name="林区住房和城乡建设委员会")
    other = DepartmentFactory(short_code="shuiwu", name="林区税务局")
    return {
        "admin": CreditAdminFactory(username="xyb", department=office),
        "handling": handling,
        "handler": ClerkFactory(username="zj", department=handling),
        "outsider": ClerkFactory(username="sw", department=other),
    }


def _form(**overrides) -> dict:
    data = {
        "complainant_kind": "legal",
        "complainant_name": "神农架林海商贸有限公司",
        "complainant_code": COMPANY_USCC,
        "complainant_phone": "0719-3331234",
        "body_name": "神农架林区某镇人民政府",
        "body_uscc": ORGAN_USCC,
        "contract": "招商引资协议",
        "facts": "约定的奖补资金逾期一年未兑现。",
    }
    data.update(overrides)
    return data


def _file(client, **overrides):
    return client.post(reverse("integrity_public:complaint_file"), _form(**overrides))


def test_filed_on_the_portal_before_the_holiday(client, pin_today, staff):
    pin_today(dt.datetime(2025, 9, 26, 10, 0))  # a Friday; 9-28 (Sunday) is a working day
    data = _form()
    data["attachments"] = [SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")]
    response = client.post(reverse("integrity_public:complaint_file"), data)
    assert response.status_code == 201
    complaint = GovComplaint.objects.get()
    assert complaint.number in response.content.decode()
    assert complaint.status == "submitted"
    # 5 working days: 9-28, 9-29, 9-30, (国庆 10-1…10-8), 10-9, 10-10.
    assert complaint.accept_due == dt.date(2025, 10, 10)
    assert "2025-10-10" in response.content.decode()
    assert complaint.attachments.get().original_name == "合同.pdf"
    audit = AuditLog.objects.get(action="gov_complaint.submit")
    assert audit.actor_kind == "anonymous"
    assert Notice.objects.filter(department=None, title__contains="政府违约失信投诉").exists()


def test_a_person_complainant_keeps_only_the_masked_number(client, staff):
    from xinyong.core.identifiers import resident_id_with_check

    number = resident_id_with_check("42902119800101123")
    response = _file(
        client, complainant_kind="person", complainant_name="张三", complainant_code=number
    )
    assert response.status_code == 201
    complaint = GovComplaint.objects.get()
    assert (
        number not in complaint.complainant_code_masked and "*" in complaint.complainant_code_masked
    )


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"body_uscc": COMPANY_USCC}, 422, "须为机关或事业单位"),
        ({"body_uscc": "11429021800000XX"}, 422, "不是有效的统一社会信用代码"),
        ({"complainant_code": "91429021ABC"}, 422, "投诉人证件号码"),
    ],
)
def test_refused_input_says_why(client, staff, overrides, status, message):
    response = _file(client, **overrides)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not GovComplaint.objects.exists()


def test_a_bad_attachment_is_refused_by_content(client, staff):
    data = _form()
    data["attachments"] = [
        SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")
    ]
    response = client.post(reverse("integrity_public:complaint_file"), data)
    assert response.status_code == 422
    assert "只接受 PDF、JPG 或 PNG" in response.content.decode()


def test_an_institution_can_be_complained_of(client, staff):
    assert _file(client, body_uscc=INSTITUTION_USCC).status_code == 201


def _submitted() -> GovComplaint:
    return services.complaint_submit(
        complainant=services.Complainant(
            name="神农架林海商贸有限公司", kind="legal", code=COMPANY_USCC, phone="0719-3331234"
        ),
        body_name="神农架林区某镇人民政府",
        body_uscc=ORGAN_USCC,
        contract="招商引资协议",
        facts="奖补资金未兑现",
    ).complaint


def test_accept_route_and_close_across_the_holiday(pin_today, staff):
    pin_today(dt.datetime(2025, 9, 26, 9, 0))
    complaint = _submitted()
    pin_today(dt.datetime(2025, 9, 30, 9, 0))
    with pytest.raises(PermissionDeniedError):
        services.complaint_accept(
            actor=staff["handler"], complaint=complaint, department=staff["handling"]
        )
    complaint = services.complaint_accept(
        actor=staff["admin"], complaint=complaint, department=staff["handling"]
    )
    assert complaint.status == "accepted" and complaint.accepted_on == dt.date(2025, 9, 30)
    # 20 working days from 9-30: the holiday skipped, Saturday 10-11 counted → 11-04.
    assert complaint.handle_due == dt.date(2025, 11, 4)
    assert Notice.objects.filter(department=staff["handling"]).exists()
    with pytest.raises(ApplicationError) as exc:
        services.complaint_accept(
            actor=staff["admin"], complaint=complaint, department=staff["handling"]
        )
    assert exc.value.status == 409
    with pytest.raises(NotFoundError):
        services.complaint_close(
            actor=staff["outsider"], complaint=complaint, outcome="substantiated", note="x"
        )
    with pytest.raises(ApplicationError):
        services.complaint_close(actor=staff["handler"], complaint=complaint, outcome="", note="x")
    pin_today(dt.datetime(2025, 10, 20, 9, 0))
    complaint = services.complaint_close(
        actor=staff["handler"], complaint=complaint, outcome="substantiated", note="已督促兑现"
    )
    assert complaint.status == "closed" and complaint.closed_on == dt.date(2025, 10, 20)
    assert list(
        AuditLog.objects.filter(object_type="integrity.GovComplaint")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["gov_complaint.submit", "gov_complaint.accept", "gov_complaint.close"]
    close = AuditLog.objects.get(action="gov_complaint.close")
    assert close.before["status"] == "accepted" and close.after["outcome"] == "substantiated"


def test_reject_needs_a_reason(staff):
    complaint = _submitted()
    with pytest.raises(ApplicationError):
        services.complaint_reject(actor=staff["admin"], complaint=complaint, reason=" ")
    complaint = services.complaint_reject(
        actor=staff["admin"], complaint=complaint, reason="不属于政府违约失信情形"
    )
    assert complaint.status == "rejected" and complaint.refusal_reason
    with pytest.raises(ApplicationError):
        services.complaint_accept(
            actor=staff["admin"], complaint=complaint, department=staff["handling"]
        )


def test_the_queue_pages(client_as, staff):
    complaint = _submitted()
    admin, handler, outsider = staff["admin"], staff["handler"], staff["outsider"]
    assert (
        complaint.number
        in client_as(admin).get(reverse("integrity:complaint_list")).content.decode()
    )
    detail = reverse("integrity:complaint_detail", args=[complaint.pk])
    assert client_as(handler).get(detail).status_code == 404  # not routed to it yet
    response = client_as(admin).post(
        reverse("integrity:complaint_act", args=[complaint.pk, "accept"]),
        {"department": staff["handling"].pk},
    )
    assert response.status_code == 302
    assert client_as(handler).get(detail).status_code == 200
    view = AuditLog.objects.filter(action="gov_complaint.view").latest("pk")
    assert view.actor_id == handler.pk and view.object_id == str(complaint.pk)
    assert (
        complaint.number
        in client_as(handler).get(reverse("integrity:complaint_list")).content.decode()
    )
    assert client_as(outsider).get(detail).status_code == 404
    assert (
        complaint.number
        not in client_as(outsider).get(reverse("integrity:complaint_list")).content.decode()
    )
    response = client_as(handler).post(
        reverse("integrity:complaint_act", args=[complaint.pk, "close"]),
        {"outcome": "unfounded", "note": ""},
    )
    assert response.status_code == 400
    response = client_as(handler).post(
        reverse("integrity:complaint_act", args=[complaint.pk, "close"]),
        {"outcome": "unfounded", "note": "经核实已按约兑现"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.outcome == "unfounded"


def test_overdue_complaints_are_marked(pin_today, staff, client_as):
    pin_today(dt.datetime(2025, 9, 26, 9, 0))
    complaint = _submitted()
    admin = staff["admin"]
    pin_today(dt.datetime(2025, 10, 10, 17, 0))  # the last day to accept: not yet late
    assert "integrity-overdue" not in client_as(admin).get("/staff/").content.decode()
    pin_today(dt.datetime(2025, 10, 11, 9, 0))  # a make-up Saturday, past the deadline
    home = client_as(admin).get("/staff/").content.decode()
    assert "已逾期 1 件" in home
    listing = client_as(admin).get(reverse("integrity:complaint_list")).content.decode()
    assert "已逾期：" in listing and complaint.number in listing


def test_filing_is_rate_limited_per_client_as_objections_are(client, staff, settings):
    settings.XINYONG_OBJECTION_RATE = 2
    assert _file(client).status_code == 201
    assert _file(client, body_uscc=INSTITUTION_USCC).status_code == 201
    response = _file(client)
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert GovComplaint.objects.count() == 2


def test_every_portal_page_links_to_the_complaint_form(client):
    home = client.get("/").content.decode()
    assert 'id="footer-complaint" href="/zhengwu-tousu/"' in home
    form = client.get("/zhengwu-tousu/")
    assert form.status_code == 200 and "投诉" in form.content.decode()
