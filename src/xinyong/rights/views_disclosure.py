"""Staff pages of 知情 (/staff/rights/disclosure/): the counter's 信息主体查询
(identity checked in person, recorded, then the subject's file), the file
and its print version, and the access codes issued to companies. Every look
is audited (`services.disclosure`). The credit office only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.rights.dossier import subject_dossier
from xinyong.rights.forms import CodeIssueForm, CounterForm
from xinyong.rights.models import DisclosureAccess
from xinyong.rights.services import disclosure as service


@login_required
def counter(request: StaffRequest) -> HttpResponse:
    service.ensure_counter(request.user)
    form = CounterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            access = service.disclosure_counter_open(
                actor=request.user,
                code=d["code"],
                name=d["name"],
                identity_note=d["identity_note"],
                reason=d["reason"],
                request=request,
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            form.add_error(None, exc.message)
            return render(
                request, "rights/disclosure_counter.html", {"form": form}, status=exc.status
            )
        return redirect("rights:disclosure_file", pk=access.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rights/disclosure_counter.html", {"form": form}, status=status)


@login_required
def file(request: StaffRequest, pk: int) -> HttpResponse:
    """The subject's file for the clerk who verified it, while the grant lasts."""
    access = DisclosureAccess.objects.select_related("subject").filter(pk=pk).first()
    if access is None or not service.access_valid(access, user=request.user):
        raise Http404
    printed = request.GET.get("print") == "1"
    service.disclosure_view(access=access, user=request.user, request=request, printed=printed)
    response = render(
        request,
        "rights/disclosure_print.html" if printed else "rights/disclosure_file.html",
        {"access": access, "dossier": subject_dossier(access.subject)},
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def codes(request: StaffRequest) -> HttpResponse:
    ensure_credit_office(request.user)
    form = CodeIssueForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                issued = service.disclosure_code_issue(
                    actor=request.user,
                    uscc=d["uscc"],
                    letter=d["letter"],
                    reason=d["reason"],
                    request=request,
                )
                form = CodeIssueForm()
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status
        else:
            status = 400
    recent = DisclosureAccess.objects.filter(kind=DisclosureAccess.Kind.CODE).select_related(
        "subject", "issued_by"
    )[:50]
    return render(
        request,
        "rights/disclosure_codes.html",
        {"form": form, "issued": issued, "recent": recent},
        status=status,
    )


@login_required
@require_POST
def code_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    ensure_credit_office(request.user)
    access = DisclosureAccess.objects.filter(pk=pk, kind=DisclosureAccess.Kind.CODE).first()
    if access is None:
        raise Http404
    try:
        service.disclosure_code_revoke(actor=request.user, access=access, request=request)
        messages.success(request, _("查询码已作废"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("rights:disclosure_codes")
