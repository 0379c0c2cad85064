"""Reports made as the CLI makes them (asked for and printed in this process), and their
PDF read back."""

import io

from pypdf import PdfReader

from xinyong.reports import services
from xinyong.reports.models import Report
from xinyong.reports.storage import read_pdf


def issue(subject, *, kind="general", years=None, areas=(), actor=None, **extra):
    """Ask for a report and print it here (as the CLI does)."""
    report = services.report_request(
        actor=actor,
        subject=subject,
        kind=kind,
        purpose="信易贷授信审查",
        channel=extra.pop("channel", Report.Channel.CLI),
        years=years,
        areas=areas,
        enqueue=False,
        **extra,
    )
    report = services.report_generate(report_id=report.pk)
    assert report.status == Report.Status.ISSUED, report.error
    return report


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def pdf_of(report) -> bytes:
    return read_pdf(report.number)
