"""The portal's repair page (eligibility before filing, the form, proofs,
the status page), the guides' links to the working forms, and the staff
pages (the queue, each step, proofs downloaded by the deciders only)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rights.factories import COMPANY_USCC, company
from rights.repair_factories import file_repair, negative_record
from xinyong.core.models import AuditLog
from xinyong.rights.models import Repair

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.XINYONG_PRIVATE_ROOT = tmp_path / "private"
    return settings.XINYONG_PRIVATE_ROOT


@pytest.fixture
def record(department, xzcf):
    return negative_record(department=department, subject=company(), decided=dt.date(2025, 1, 2))


def form_data(record, **extra):
    return {
        "record_id": record.pk,
        "applicant_kind": "legal",
        "applicant_name": "神农架林区某某建材有限公司",
        "applicant_code": COMPANY_USCC,
        "applicant_phone": "0719-3331234",
        "reason": "罚款已缴清",
        **extra,
    }


def test_guides_link_to_the_working_forms(client, db):
    repair = client.get("/guide/repair/").content.decode()
    assert 'action="/repairs/new/"' in repair and 'href="/applications/"' in repair
    objection = client.get("/guide/objection/").content.decode()
    assert 'action="/objections/new/"' in objection


def test_the_page_shows_the_rules_before_filing(client, record, pin_today):
    pin_today("2025-03-01")
    detail = client.get(f"/shuanggongshi/penalties/{record.pk}/").content.decode()
    assert f'href="/repairs/new/?record={record.pk}"' in detail
    page = client.get(f"/repairs/new/?record={record.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="repair-not-eligible"' in html and 'id="repair-form"' not in html
    assert "2025-04-03" in html  # the day the shortest period passes
    assert 'id="condition-min_period" class="condition-fail"' in html
    assert 'id="condition-category" class="condition-pass"' in html
    # Filing anyway is refused with the same reason.
    r = client.post("/repairs/new/", form_data(record, commitment="on"))
    assert r.status_code == 422 and "2025-04-03" in r.content.decode()
    assert client.get("/repairs/new/?record=999999").status_code == 404


def test_file_on_the_portal_with_a_proof_then_follow_it(client, record, pin_today):
    pin_today("2025-06-03")
    html = client.get(f"/repairs/new/?record={record.pk}").content.decode()
    assert 'id="repair-form"' in html and 'id="repair-commitment"' in html
    no_commitment = client.post("/repairs/new/", form_data(record))
    assert no_commitment.status_code == 422 and "承诺书" in no_commitment.content.decode()
    proof = SimpleUploadedFile("缴款凭证.pdf", PDF, content_type="application/pdf")
    filed = client.post("/repairs/new/", form_data(record, commitment="on", attachments=proof))
    assert filed.status_code == 201
    html = filed.content.decode()
    number = re.search(r'id="filed-number">([^<]+)<', html).group(1)
    secret = re.search(r'id="filed-secret"><code>([^<]+)<', html).group(1)
    repair = Repair.objects.get(number=number)
    assert repair.attachments.get().content_type == "application/pdf"
    status = client.post("/applications/", {"number": number, "secret": secret})
    assert status.status_code == 200 and "信用修复申请" in status.content.decode()
    assert client.post("/applications/", {"number": number, "secret": "x"}).status_code == 404


def test_a_wrong_file_type_is_refused(client, record, pin_today):
    pin_today("2025-06-03")
    fake = SimpleUploadedFile("凭证.pdf", b"MZ\x90\x00", content_type="application/pdf")
    r = client.post("/repairs/new/", form_data(record, commitment="on", attachments=fake))
    assert r.status_code == 422 and "PDF、JPG 或 PNG" in r.content.decode()
    assert not Repair.objects.exists()


def test_the_department_decides_through_its_pages(
    record, clerk, office_user, other_clerk, client_as, pin_today, private_root
):
    pin_today("2025-06-03")
    proof = SimpleUploadedFile("缴款凭证.pdf", PDF, content_type="application/pdf")
    from rights.factories import company_applicant
    from xinyong.rights.services import repair_submit

    r = repair_submit(
        record_id=record.pk, applicant=company_applicant(), reason="已缴清",
        commitment=True, attachments=[proof],
    ).repair  # fmt: skip
    attachment = r.attachments.get()
    assert PDF not in (Path(private_root) / "repairs" / attachment.stored_name).read_bytes()

    other = client_as(other_clerk)
    assert r.number not in other.get("/staff/rights/repairs/").content.decode()
    assert other.get(f"/staff/rights/repairs/{r.pk}/").status_code == 404
    url = f"/staff/rights/repairs/{r.pk}/attachments/{attachment.pk}/"
    assert other.get(url).status_code == 404

    office = client_as(office_user)
    detail = office.get(f"/staff/rights/repairs/{r.pk}/").content.decode()
    assert r.number in detail and 'id="step-accept"' not in detail  # sees, does not decide

    c = client_as(clerk)
    assert "剩 " in c.get("/staff/rights/repairs/").content.decode()
    assert "件信用修复申请待您办理" in c.get("/staff/").content.decode()
    download = c.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditLog.objects.filter(action="repair_attachment.view").count() == 1
    assert c.post(f"/staff/rights/repairs/{r.pk}/accept/").status_code == 302
    bad = c.post(f"/staff/rights/repairs/{r.pk}/approve/", {"note": "同意"})
    assert bad.status_code == 400 and "履行法定义务" in bad.content.decode()
    ok = c.post(
        f"/staff/rights/repairs/{r.pk}/approve/",
        {"note": "同意修复", "obligations_confirmed": "on"},
    )
    assert ok.status_code == 302
    r.refresh_from_db()
    assert r.status == Repair.Status.APPROVED
    assert 'id="repair-effects"' in c.get(f"/staff/rights/repairs/{r.pk}/").content.decode()


def test_the_queue_filters_overdue(record, clerk, client_as, pin_today):
    pin_today("2025-06-03")
    r = file_repair(record).repair
    pin_today("2025-06-20")
    page = client_as(clerk).get("/staff/rights/repairs/?overdue=1").content.decode()
    assert r.number in page and "已逾期" in page
