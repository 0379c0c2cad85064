"""A report shows the subject's commitments (rights), and the subject's 知情
file lists the reports issued on it."""

import pytest

from reports.factories import issue, pdf_of, pdf_text
from rights.commitments import record_commitment
from xinyong.rights.dossier import subject_dossier

pytestmark = pytest.mark.django_db


def test_a_report_lists_the_commitments_and_the_file_lists_the_report(clerk, department):
    commitment = record_commitment(clerk, department, type="voluntary")
    subject = commitment.subject
    report = issue(subject)
    text, _pages = pdf_text(pdf_of(report))
    assert commitment.get_type_display() in text
    assert commitment.signed_on.isoformat() in text
    issued = subject_dossier(subject).reports
    assert [r.number for r in issued] == [report.number]
