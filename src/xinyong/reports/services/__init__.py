"""Services of `reports`: asking for a report (`report_request`), printing and signing it
(`report_generate`), the worker's recovery, and reading an issued one (`report_read`)."""

from xinyong.reports.services.generate import (
    can_read,
    report_generate,
    report_read,
    report_recover_stalled,
    verify_url,
)
from xinyong.reports.services.request import report_request

__all__ = [
    "can_read",
    "report_generate",
    "report_read",
    "report_recover_stalled",
    "report_request",
    "verify_url",
]
