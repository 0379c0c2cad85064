"""Where the reports app meets `rights` (which sits below it): the subject's
credit commitments fill the report's 信用承诺 section, and the reports issued
on a subject fill the 出具的信用报告 section of its 知情 file. Connected once,
in `ReportsConfig.ready`."""

from xinyong.reports import content
from xinyong.reports.models import Report
from xinyong.rights import dossier
from xinyong.rights.commitment_models import Commitment
from xinyong.subjects.models import Subject


def commitments_of(subject: Subject) -> list[list[str]]:
    """(承诺类型, 承诺事由, 承诺日期, 履约状态) of every commitment the subject signed."""
    return [
        [c.get_type_display(), c.matter or "—", c.signed_on.isoformat(), c.get_status_display()]
        for c in Commitment.objects.filter(subject=subject).order_by("-signed_on", "-id")[:200]
    ]


def reports_issued_on(subject: Subject) -> list[dossier.ReportIssued]:
    issued = Report.objects.filter(subject=subject, status=Report.Status.ISSUED)
    return [
        dossier.ReportIssued(
            number=r.number,
            kind=r.get_kind_display(),
            issued_on=r.issued_on,
            requested_by=r.requested_label,
        )
        for r in issued.order_by("-issued_on", "-id")[:200]
        if r.issued_on is not None
    ]


def connect() -> None:
    if commitments_of not in content.COMMITMENT_SOURCES:
        content.COMMITMENT_SOURCES.append(commitments_of)
    dossier.register_report_source(reports_issued_on)
