"""Pages of the credit service agencies' registry and of the filing of their reports:

- staff (/staff/reports/agencies/, credit office only): the registry, registration,
  suspension, revocation, restoration;
- staff (/staff/reports/filings/): an agency's users file reports and follow them; the
  credit office reviews them in a queue (overdue filter) with what our data holds on the
  subject;
- public (/agencies/): the 名录 and the verification of a filed report (rate-limited like
  other public look-ups). Views parse and call one service or selector."""

import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinyong.core import clock, ratelimit
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.reports import selectors, services
from xinyong.reports.forms import AgencyForm, FilingForm, ReasonForm, VerifyFilingForm
from xinyong.reports.models import Agency, AgencyReport
from xinyong.reports.services.filings import read_upload


def _apply_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    name = next((f for f in details if f in form.fields), None)
    form.add_error(name, exc.message)


# -- the registry (credit office) ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_list(request: StaffRequest) -> HttpResponse:
    ensure_credit_office(request.user)
    form = AgencyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agency = services.agency_register(
                    actor=request.user, request=request, **form.cleaned_data
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已登记信用服务机构，备案编号 %(n)s") % {"n": agency.filing_number},
                )
                return redirect("reports:agency_detail", agency.pk)
        else:
            status = 400
    return render(
        request,
        "reports/agency_list.html",
        {"form": form, "agencies": selectors.agencies_for_staff()},
        status=status,
    )


_AGENCY_ACTIONS: dict[str, Callable[..., Agency]] = {
    "suspend": services.agency_suspend,
    "revoke": services.agency_revoke,
    "restore": services.agency_restore,
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_detail(request: StaffRequest, pk: int) -> HttpResponse:
    ensure_credit_office(request.user)
    agency = selectors.agency_get(pk)
    form = ReasonForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        action = _AGENCY_ACTIONS.get(request.POST.get("action", ""))
        if action is None or not form.is_valid():
            error, status = _("请选择操作并填写原因"), 400
        else:
            try:
                action(
                    actor=request.user,
                    agency=agency,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ApplicationError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect("reports:agency_detail", agency.pk)
    filings = agency.filings.order_by("-submitted_at", "-id")[:100]
    return render(
        request,
        "reports/agency_detail.html",
        {"a": agency, "form": form, "error": error, "filings": filings},
        status=status,
    )


# -- filings: the agency submits, the credit office reviews --------------------------------


@login_required
@require_GET
def filing_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    agency = None if user.is_credit_office else services.agency_of(user)
    if not user.is_credit_office and agency is None:
        raise PermissionDeniedError("forbidden", _("只有信用办和信用服务机构可以访问信用报告备案"))
    overdue = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    if user.is_credit_office and (overdue or not status):
        filings = selectors.filing_queue(overdue=overdue)
        status = AgencyReport.Status.SUBMITTED
    else:
        filings = selectors.filings_for(user).order_by("-submitted_at", "-id")
        if status in AgencyReport.Status.values:
            filings = filings.filter(status=status)
    return render(
        request,
        "reports/filing_list.html",
        {
            "filings": filings[:200],
            "agency": agency,
            "overdue": overdue,
            "status": status,
            "statuses": AgencyReport.Status.choices,
            "today": clock.today(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def filing_new(request: StaffRequest) -> HttpResponse:
    services.ensure_filed_agency(request.user)
    form = FilingForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data: dict[str, Any] = form.cleaned_data
            try:
                filing = services.agency_report_submit(
                    actor=request.user,
                    number=data["number"],
                    subject_uscc=data["subject_uscc"],
                    subject_name=data["subject_name"],
                    kind=data["kind"],
                    grade=data["grade"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                    purpose=data["purpose"],
                    pdf=read_upload(data["file"]),
                    request=request,
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已提交备案，等待信用办审核"))
                return redirect("reports:filing_detail", filing.pk)
        else:
            status = 400
    return render(request, "reports/filing_new.html", {"form": form}, status=status)


_FILING_ACTIONS: dict[str, Callable[..., AgencyReport]] = {
    "file": services.agency_report_file,
    "return": services.agency_report_return,
    "revoke": services.agency_report_revoke,
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def filing_detail(request: StaffRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_get_for(request.user, pk)
    reviewer = request.user.is_credit_office
    error, status = "", 200
    if request.method == "POST":
        ensure_credit_office(request.user)
        action = _FILING_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            error, status = _("未知的操作"), 400
        else:
            kwargs: dict[str, Any] = {}
            if action is not services.agency_report_file:
                kwargs["reason"] = request.POST.get("reason", "")
            try:
                action(actor=request.user, filing=filing, request=request, **kwargs)
            except ApplicationError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect("reports:filing_detail", filing.pk)
    check = selectors.filing_subject_check(filing) if reviewer else None
    return render(
        request,
        "reports/filing_detail.html",
        {
            "f": filing,
            "reviewer": reviewer,
            "check": check,
            "warning": bool(check and check.warning and filing.good_grade),
            "error": error,
            "today": clock.today(),
        },
        status=status,
    )


@login_required
@require_GET
def filing_file(request: StaffRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_get_for(request.user, pk)
    data = services.agency_report_read(actor=request.user, filing=filing, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"filing-{filing.pk}.pdf") or ""
    )
    return response


# -- public: the directory and the verification --------------------------------------------


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.agency_directory(status)
    return render(
        request,
        "reports/agency_directory.html",
        {"rows": rows, "status": status, "statuses": Agency.Status.choices},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify_filing(request: HttpRequest) -> HttpResponse:
    """Anyone (an officer receiving a bid) checks a report an agency says it filed; with the
    PDF handed in, whether it is the filed file (SHA-256). Organisations only: no person's
    data is filed here."""
    template = "reports/filing_verify.html"
    if request.method != "POST":
        form = VerifyFilingForm(initial={"agency": request.GET.get("agency", "")[:40]})
        return render(request, template, {"form": form})
    form = VerifyFilingForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        ratelimit.check(request, "search")
        upload = form.cleaned_data.get("file")
        sha256 = hashlib.sha256(read_upload(upload)).hexdigest() if upload else None
        verdict = selectors.filing_verify(
            agency_code=form.cleaned_data["agency"],
            number=form.cleaned_data["number"],
            sha256=sha256,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return render(request, template, {"form": form}, status=exc.status)
    return render(request, template, {"form": form, "verdict": verdict, "today": clock.today()})
