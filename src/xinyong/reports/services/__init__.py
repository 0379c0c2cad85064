"""Services of `reports`: asking for a report (`report_request`), printing and signing it
(`report_generate`), the worker's recovery, and reading an issued one (`report_read`); the
registry of credit service agencies (`agency_*`) and the filing of their reports
(`agency_report_*`)."""

from xinyong.reports.services.agencies import (
    agency_of,
    agency_register,
    agency_restore,
    agency_revoke,
    agency_suspend,
    ensure_filed_agency,
)
from xinyong.reports.services.filings import (
    agency_report_file,
    agency_report_read,
    agency_report_return,
    agency_report_revoke,
    agency_report_submit,
    can_see_filing,
)
from xinyong.reports.services.generate import (
    can_read,
    report_generate,
    report_read,
    report_recover_stalled,
    verify_url,
)
from xinyong.reports.services.request import report_request

__all__ = [
    "agency_of",
    "agency_register",
    "agency_report_file",
    "agency_report_read",
    "agency_report_return",
    "agency_report_revoke",
    "agency_report_submit",
    "agency_restore",
    "agency_revoke",
    "agency_suspend",
    "can_read",
    "can_see_filing",
    "ensure_filed_agency",
    "report_generate",
    "report_read",
    "report_recover_stalled",
    "report_request",
    "verify_url",
]
