"""Printing and signing a report (on the task queue for the counter and the API, inline
for the CLI), the recovery of a worker that died mid-way, and every read of a report."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import SYSTEM, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.tasks.leases import Lease, is_held
from xinyong.core.tasks.queue import task_alive
from xinyong.orgs.models import ApiToken, User
from xinyong.reports import storage
from xinyong.reports.audit_actions import REPORT_DOWNLOAD, REPORT_FAIL, REPORT_ISSUE
from xinyong.reports.content import Content, general_content, special_content
from xinyong.reports.models import Report
from xinyong.reports.render import print_report
from xinyong.reports.services.request import enqueue_generation
from xinyong.reports.signing import sign_pdf

logger = logging.getLogger(__name__)

# A report whose generation failed this many times stays failed (a worker that died
# counts as one attempt).
MAX_ATTEMPTS = 3


def issuer() -> str:
    return str(getattr(settings, "REPORT_ISSUER", "") or _("神农架林区公共信用信息平台"))


def verify_url(number: str) -> str:
    return settings.PUBLIC_URL + reverse("reports_public:verify", args=[number])


def report_lease(report_id: int) -> str:
    return f"reports.report:{report_id}"


def _progress(report: Report, value: int) -> None:
    report.progress = value
    Report.objects.filter(pk=report.pk).update(progress=value)


def _content(report: Report) -> Content:
    if report.kind == Report.Kind.SPECIAL:
        return special_content(report.subject, years=report.years or 1, areas=list(report.areas))
    return general_content(report.subject, kind=report.kind)


def report_generate(*, report_id: int) -> Report | None:
    """Print, sign and store a queued report. None when another process holds it; a
    report found 生成中 was left by a process that died, and this run is its next try."""
    with Lease(report_lease(report_id)) as lease:
        if not lease.held:
            return None
        report = Report.objects.select_related("subject").filter(pk=report_id).first()
        if report is None or report.status not in (Report.Status.QUEUED, Report.Status.RUNNING):
            return report
        if report.attempts >= MAX_ATTEMPTS:
            return _fail(report, _("已尝试 %(n)s 次，均未完成") % {"n": report.attempts})
        report.status, report.attempts, report.progress = (
            Report.Status.RUNNING,
            report.attempts + 1,
            5,
        )
        report.save(update_fields=["status", "attempts", "progress"])
        try:
            content = _content(report)
            _progress(report, 40)
            issued_at = clock.now()
            issued_on = clock.today()
            printed = print_report(
                content,
                number=report.number,
                issued=issued_on.isoformat(),
                verify_url=verify_url(report.number),
                issuer=issuer(),
            )
            _progress(report, 85)
            signed = sign_pdf(
                printed.pdf,
                number=report.number,
                subject=report.subject_label,
                kind=report.kind,
                issued=issued_on.isoformat(),
            )
            storage.store(report.number, pdf=signed.data, html=printed.html)
        except Exception as error:
            logger.exception("report %s failed", report.number)
            return _fail(report, _("生成失败：%(e)s") % {"e": error})
        return _issue(
            report,
            issued_at=issued_at,
            issued_on=issued_on,
            sha256=signed.sha256,
            signature=signed.signature,
            key_id=signed.key_id,
            size=len(signed.data),
        )


@transaction.atomic
def _issue(
    report: Report,
    *,
    issued_at: dt.datetime,
    issued_on: dt.date,
    sha256: str,
    signature: str,
    key_id: str,
    size: int,
) -> Report:
    report.status = Report.Status.ISSUED
    report.progress = 100
    report.issued_at, report.issued_on = issued_at, issued_on
    report.content_hash, report.signature, report.key_id = sha256, signature, key_id
    report.pdf_size = size
    report.error = ""
    report.save(
        update_fields=[
            "status",
            "progress",
            "issued_at",
            "issued_on",
            "content_hash",
            "signature",
            "key_id",
            "pdf_size",
            "error",
        ]
    )
    audit_record(
        action=REPORT_ISSUE,
        actor=SYSTEM,
        obj=report,
        after={"number": report.number, "sha256": sha256, "key": key_id, "kind": report.kind},
        reason=report.purpose,
    )
    return report


@transaction.atomic
def _fail(report: Report, reason: str) -> Report:
    report.status = Report.Status.FAILED
    report.error = reason[:2000]
    report.save(update_fields=["status", "error"])
    audit_record(action=REPORT_FAIL, actor=SYSTEM, obj=report, reason=report.error)
    return report


def _is_queued(report: Report) -> bool:
    from xinyong.reports.tasks import report_generate_task

    return task_alive(report_generate_task, report.task_id, report.requested_at)


def report_recover_stalled() -> list[int]:
    """A worker's recovery: a report 生成中 whose lease is free lost its process; one
    排队中 whose task is gone was never run. Each is queued again (its attempts are
    counted by `report_generate`). The CLI's inline reports hold their lease while they
    run, so they are left alone."""
    touched = []
    stalled = Report.objects.filter(
        status__in=[Report.Status.QUEUED, Report.Status.RUNNING], channel__in=["counter", "api"]
    ).order_by("pk")
    for report in stalled:
        if report.status == Report.Status.QUEUED and _is_queued(report):
            continue
        if is_held(report_lease(report.pk)):
            continue
        if not Report.objects.filter(pk=report.pk, status=report.status).update(
            status=Report.Status.QUEUED, task_id=""
        ):
            continue
        logger.warning("report %s: its generation stalled; queued again", report.number)
        transaction.on_commit(partial(enqueue_generation, report.pk), robust=True)
        touched.append(report.pk)
    return touched


# -- reading ------------------------------------------------------------------------------


def can_read(actor: User | ApiToken, report: Report) -> bool:
    """The credit office and whoever asked for it (the agency's department for the API)."""
    if isinstance(actor, ApiToken):
        return (
            report.requested_token is not None
            and report.requested_token.department_id == actor.department_id
        )
    return actor.is_credit_office or report.requested_by_id == actor.pk


def report_read(
    *, actor: User | ApiToken, report: Report, fmt: str = "pdf", request: HttpRequest | None = None
) -> bytes:
    """The issued file (`pdf`, or the `html` it was printed from), audited: a report
    holds a look-up of the subject, a person's non-public data."""
    if not can_read(actor, report):
        raise NotFoundError("not_found", _("未找到该信用报告，或您无权访问"))
    if report.status != Report.Status.ISSUED:
        raise ApplicationError(
            "not_issued",
            _("报告尚未出具（%(s)s）") % {"s": report.get_status_display()},
            status=409,
        )
    data = (
        storage.read_pdf(report.number)
        if fmt == "pdf"
        else storage.read_html(report.number).encode()
    )
    audit_record(
        action=REPORT_DOWNLOAD,
        actor=actor,
        obj=report,
        after={"format": fmt},
        request=request,
    )
    return data
