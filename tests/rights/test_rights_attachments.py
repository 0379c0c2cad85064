"""Attachments: pdf/jpg/png by content, at most 10 MB, stored encrypted
outside the web root, downloaded only by the objection's staff (audited)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rights.factories import company_applicant
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog
from xinyong.rights.models import Objection, ObjectionAttachment
from xinyong.rights.services import objection_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.XINYONG_PRIVATE_ROOT = tmp_path / "private"
    return settings.XINYONG_PRIVATE_ROOT


def _submit(record, *files):
    return objection_submit(
        record_id=record.pk,
        applicant=company_applicant(),
        reason="附复议决定书",
        attachments=list(files),
    )


def test_files_are_stored_encrypted_outside_the_web_root(record, private_root, settings):
    filed = _submit(
        record,
        SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("缴款凭证.png", PNG, content_type="image/png"),
    )
    stored = list(filed.objection.attachments.all())
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    for a in stored:
        path = Path(private_root) / "objections" / a.stored_name
        assert path.exists()
        assert PDF not in path.read_bytes() and b"PNG" not in path.read_bytes()[:16]
        assert not str(path).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("伪装.pdf", b"MZ\x90\x00 not a pdf", "file_type"),  # a name that lies
        ("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "file_too_large"),
    ],
)
def test_bad_files_are_refused_naming_the_file(record, name, content, code):
    with pytest.raises(ApplicationError) as exc:
        _submit(record, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert exc.value.code == code
    assert name in exc.value.message
    assert exc.value.status == 422
    assert not Objection.objects.exists()
    assert not ObjectionAttachment.objects.exists()


def test_only_the_objections_staff_download(client, record, clerk, other_clerk, client_as):
    filed = _submit(record, SimpleUploadedFile("复议决定书.pdf", PDF))
    o = filed.objection
    a = o.attachments.get()
    url = f"/staff/rights/objections/{o.pk}/attachments/{a.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    assert client_as(other_clerk).get(url).status_code == 404
    r = client_as(clerk).get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    assert (
        AuditLog.objects.filter(action="objection_attachment.view", object_id=str(a.pk)).count()
        == 1
    )


def test_the_portal_form_takes_files(client, record):
    data = {
        "record_id": record.pk,
        "applicant_kind": "legal",
        "applicant_name": "神农架林区某某建材有限公司",
        "applicant_code": company_applicant().code,
        "applicant_phone": "0719-3331234",
        "reason": "见附件",
        "attachments": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.pdf", PDF)],
    }
    r = client.post("/objections/new/", data)
    assert r.status_code == 201
    assert ObjectionAttachment.objects.count() == 2
    bad = {**data, "attachments": [SimpleUploadedFile("x.png", b"GIF89a......")]}
    r = client.post("/objections/new/", bad)
    assert r.status_code == 422
    assert "只接受 PDF、JPG 或 PNG" in r.content.decode()
