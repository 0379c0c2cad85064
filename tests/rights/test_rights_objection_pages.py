"""The staff queue and an objection's page: each step's form, department
isolation (404 for another department), countdowns."""

from rights.factories import file_objection
from xinyong.rights.models import Objection


def test_the_credit_office_handles_an_objection_through_the_pages(
    record, office_user, clerk, client_as
):
    o = file_objection(record).objection
    c = client_as(office_user)
    page = c.get("/staff/rights/objections/")
    assert page.status_code == 200
    assert o.number in page.content.decode()
    assert "剩 " in page.content.decode()
    detail = c.get(f"/staff/rights/objections/{o.pk}/").content.decode()
    assert 'id="step-accept"' in detail and 'id="step-verify"' not in detail
    r = c.post(f"/staff/rights/objections/{o.pk}/accept/")
    assert r.status_code == 302
    c.post(f"/staff/rights/objections/{o.pk}/route/")
    o.refresh_from_db()
    assert o.status == Objection.Status.VERIFYING

    d = client_as(clerk)
    assert o.number in d.get("/staff/rights/objections/").content.decode()
    detail = d.get(f"/staff/rights/objections/{o.pk}/").content.decode()
    assert 'id="step-verify"' in detail
    r = d.post(f"/staff/rights/objections/{o.pk}/verify/", {"outcome": "upheld", "note": ""})
    assert r.status_code == 400
    assert "核查意见" in r.content.decode()
    r = d.post(f"/staff/rights/objections/{o.pk}/verify/", {"outcome": "upheld", "note": "无误"})
    assert r.status_code == 302
    # a department clerk cannot close
    r = d.post(f"/staff/rights/objections/{o.pk}/close/", {"reply": "维持"})
    assert r.status_code == 403
    r = client_as(office_user).post(
        f"/staff/rights/objections/{o.pk}/close/", {"reply": "予以维持"}
    )
    assert r.status_code == 302
    o.refresh_from_db()
    assert o.status == Objection.Status.CLOSED


def test_another_department_gets_404(record, other_clerk, client_as):
    o = file_objection(record).objection
    c = client_as(other_clerk)
    assert o.number not in c.get("/staff/rights/objections/").content.decode()
    assert c.get(f"/staff/rights/objections/{o.pk}/").status_code == 404
    assert c.post(f"/staff/rights/objections/{o.pk}/refuse/", {"reason": "x"}).status_code == 404
    o.refresh_from_db()
    assert o.status == Objection.Status.FILED


def test_refusal_needs_a_reason(record, office_user, client_as):
    o = file_objection(record).objection
    r = client_as(office_user).post(f"/staff/rights/objections/{o.pk}/refuse/", {"reason": ""})
    assert r.status_code == 400
    o.refresh_from_db()
    assert o.status == Objection.Status.FILED


def test_the_staff_home_flags_waiting_and_overdue_objections(
    department, xzcf, office_user, clerk, other_clerk, client_as, pin_today
):
    from rights.factories import company, public_record
    from xinyong.rights import services

    pin_today("2025-09-29")
    record = public_record(department=department, subject=company())
    o = file_objection(record).objection
    home = client_as(office_user).get("/staff/").content.decode()
    assert "1 件异议申请待您办理" in home and "已逾期" not in home
    pin_today("2025-10-10")  # accept_due was 10-09
    home = client_as(office_user).get("/staff/").content.decode()
    assert "其中 1 件已逾期" in home
    assert 'id="objection-alerts"' not in client_as(clerk).get("/staff/").content.decode()
    services.objection_accept(actor=office_user, objection=o)
    services.objection_route(actor=office_user, objection=o)
    assert "1 件异议申请待您办理" in client_as(clerk).get("/staff/").content.decode()
    assert 'id="objection-alerts"' not in client_as(other_clerk).get("/staff/").content.decode()
