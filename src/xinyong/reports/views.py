"""Pages of `reports`: the counter (/staff/reports/: ask for a report, follow its
generation, download it) and the public verification page (/reports/verify/<number>/).
Views parse and call one service or selector."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.http import StaffRequest
from xinyong.reports import selectors, services
from xinyong.reports.forms import ReportForm
from xinyong.reports.models import Report
from xinyong.reports.signing import public_keys_text
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject


def subject_by_code(code: str) -> Subject:
    """An organisation by its USCC, a person by the keyed digest of the ID number."""
    code = code.strip().upper()
    qs = Subject.objects.filter(pending_batch_id__isnull=True)
    subject = qs.filter(uscc=code).first() if len(code) == 18 else None
    if subject is None and len(code) in (15, 18):
        subject = qs.filter(kind=Subject.Kind.PERSON, id_digest=id_digest(code)).first()
    if subject is None:
        raise NotFoundError("not_found", _("未找到该信用主体，请核对代码"))
    return subject


@login_required
def report_list(request: StaffRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            subject = subject_by_code(data["code"])
            report = services.report_request(
                actor=request.user,
                subject=subject,
                kind=data["kind"],
                purpose=data["purpose"],
                channel=Report.Channel.COUNTER,
                years=data["years"],
                areas=[a for a in data["areas"].replace("，", ",").split(",") if a.strip()],
                person_basis=data["person_basis"],
                id_number=data["code"] if subject.kind == Subject.Kind.PERSON else "",
                authorisation=data["authorisation"],
                request=request,
            )
        except ApplicationError as failure:
            error = failure.message
        else:
            return redirect("reports:detail", report.pk)
    reports = selectors.reports_for(request.user)[:100]
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "error": error, "reports": reports},
        status=400 if error else 200,
    )


@login_required
def report_detail(request: StaffRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for(request.user, pk)
    running = report.status in (Report.Status.QUEUED, Report.Status.RUNNING)
    return render(request, "reports/report_detail.html", {"r": report, "running": running})


@login_required
def report_file(request: StaffRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "html"):
        raise NotFoundError("not_found", _("未找到该文件"))
    report = selectors.report_get_for(request.user, pk)
    data = services.report_read(actor=request.user, report=report, fmt=fmt, request=request)
    if fmt == "html":
        response = HttpResponse(data, content_type="text/html; charset=utf-8")
        # The printed HTML is the report as it was issued: shown as a document, not a page.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        )
        return response
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{report.number}.pdf") or ""
    )
    return response


@require_GET
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: number, subject (a person's masked), kind, date and hash; never content."""
    report = selectors.report_public(number)
    return render(request, "reports/verify.html", {"r": report})


@require_GET
def public_keys(request: HttpRequest) -> HttpResponse:
    return HttpResponse(public_keys_text(), content_type="text/plain; charset=utf-8")
