"""The general report: its PDF holds the subject and every section of the 2022 standard,
leaves repaired items out, carries a signature that verifies, and fails on any changed
byte."""

import time

import pytest

from reports.factories import issue, pdf_of, pdf_text
from xinyong.core.models import AuditLog
from xinyong.reports.models import Report
from xinyong.reports.signing import verify_file

pytestmark = pytest.mark.django_db

SECTIONS = [
    "报告说明",
    "信息概览",
    "基础信息",
    "行政许可信息",
    "行政处罚信息",
    "严重失信主体名单信息",
    "信用承诺信息",
    "守信激励信息",
    "异议与信用修复说明",
]


def test_general_report_holds_subject_and_every_section(company):
    started = time.monotonic()
    report = issue(company)
    print(f"general report printed and signed in {time.monotonic() - started:.1f}s")
    data = pdf_of(report)
    text, pages = pdf_text(data)
    compact = "".join(text.split())  # table cells wrap inside names
    assert pages >= 2
    assert "神农架林区某某建材有限公司" in compact
    assert "91110000600037341L" in compact
    assert report.number in compact
    for title in SECTIONS:
        assert title in compact, title
    # In force: the public penalty and the black and red listings.
    assert "神市监罚〔2026〕11号" in compact
    assert "测试严重失信名单" in compact
    assert "测试守合同重信用企业" in compact
    # Repaired or expired: left out of a general report.
    assert "神市监罚〔2024〕7号" not in compact
    assert "测试已移出名单" not in compact
    # No commitments yet: the section says 无.
    assert compact.split("信用承诺信息")[-1].startswith("无")


def test_signature_verifies_and_one_changed_byte_fails(company):
    report = issue(company)
    data = pdf_of(report)
    verdict = verify_file(data)
    assert verdict.valid
    assert verdict.number == report.number
    assert verdict.subject == "神农架林区某某建材有限公司"
    assert verdict.sha256 == report.content_hash
    # One byte anywhere: 200 places spread over the PDF, its end (%%EOF) and every byte
    # of the signature line.
    marker = data.rfind(b"%XYSIG1 ")
    places = {*range(0, marker, max(1, marker // 200)), *range(marker - 8, len(data))}
    for at in sorted(places):
        tampered = bytearray(data)
        tampered[at] ^= 0x01
        assert not verify_file(bytes(tampered)).valid, at
    assert not verify_file(data + b" ").valid
    assert not verify_file(data[:-1]).valid


def test_issued_report_is_registered_and_audited(company):
    report = issue(company)
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED
    assert len(report.content_hash) == 64 and report.signature and report.key_id
    assert report.purpose == "信易贷授信审查"
    assert report.requested_label.startswith("命令行")
    actions = list(
        AuditLog.objects.filter(object_type="reports.Report", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["report.request", "report.issue"]
