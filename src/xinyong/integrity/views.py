"""Staff pages of `integrity` (/staff/integrity/) and the portal's complaint form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xinyong.core import ratelimit
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.integrity import selectors, services
from xinyong.integrity.forms import (
    AcceptForm,
    CloseForm,
    ComplaintForm,
    ComplaintStatusForm,
    GovernmentFilterForm,
    IntegrityCheckForm,
    PersonLookupForm,
    RejectForm,
)
from xinyong.integrity.models import GovComplaint
from xinyong.orgs.http import StaffRequest
from xinyong.subjects.selectors import subject_get


@login_required
@require_safe
def government(request: StaffRequest) -> HttpResponse:
    form = GovernmentFilterForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    return render(
        request,
        "integrity/government.html",
        {"form": form, "bodies": selectors.government_bodies(category)[:200]},
    )


@login_required
@require_safe
def complaint_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    queue = selectors.complaint_queue_for(request.user, status=status)
    return render(
        request,
        "integrity/complaint_list.html",
        {
            "complaints": queue[:200],
            "overdue": set(selectors.complaint_overdue(queue).values_list("pk", flat=True)),
            "statuses": GovComplaint.Status.choices,
            "status": status,
        },
    )


def _detail(request: StaffRequest, complaint: GovComplaint, status: int = 200) -> HttpResponse:
    return render(
        request,
        "integrity/complaint_detail.html",
        {
            "complaint": complaint,
            "accept_form": AcceptForm(),
            "reject_form": RejectForm(),
            "close_form": CloseForm(),
        },
        status=status,
    )


@login_required
@require_safe
def complaint_detail(request: StaffRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get_for(request.user, pk)
    services.complaint_log_view(actor=request.user, complaint=complaint, request=request)
    return _detail(request, complaint)


@login_required
@require_POST
def complaint_act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    complaint = selectors.complaint_get_for(request.user, pk)
    forms = {"accept": AcceptForm, "reject": RejectForm, "close": CloseForm}
    if action not in forms:
        raise NotFoundError("not_found", _("未找到该操作"))
    form = forms[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("请按提示填写"))
        return _detail(request, complaint, status=400)
    data = form.cleaned_data
    try:
        if action == "accept":
            services.complaint_accept(
                actor=request.user,
                complaint=complaint,
                department=data["department"],
                request=request,
            )
        elif action == "reject":
            services.complaint_reject(
                actor=request.user, complaint=complaint, reason=data["reason"], request=request
            )
        else:
            services.complaint_close(
                actor=request.user,
                complaint=complaint,
                outcome=data["outcome"],
                note=data["note"],
                request=request,
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _detail(request, complaint, status=exc.status)
    messages.success(request, _("已保存"))
    return redirect("integrity:complaint_detail", pk=pk)


@login_required
@require_safe
def person_lookup(request: StaffRequest) -> HttpResponse:
    form = PersonLookupForm(request.GET or None)
    if form.is_valid():
        subject = selectors.person_file_for(request.user, form.cleaned_data["id_number"])
        return redirect("integrity:person_file", pk=subject.pk)
    return render(
        request,
        "integrity/person_lookup.html",
        {"form": form, "groups": selectors.readable_items(request.user)},
    )


@login_required
@require_safe
def person_file(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        subject = subject_get(pk)
    except NotFoundError:
        raise NotFoundError("not_found", _("未找到该自然人的诚信记录，或您无权查阅")) from None
    file = selectors.integrity_file(user=request.user, subject=subject, request=request)
    return render(request, "integrity/person_file.html", {"file": file})


@login_required
@require_http_methods(["GET", "POST"])
def integrity_check(request: StaffRequest) -> HttpResponse:
    form = IntegrityCheckForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = selectors.integrity_check(
                    user=request.user,
                    domain_code=data["domain"],
                    matter=data["matter"],
                    id_number=data["id_number"],
                    name=data["name"],
                    request=request,
                ).as_dict()
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status
        else:
            status = 400
    return render(request, "integrity/check.html", {"form": form, "result": result}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_file(request: HttpRequest) -> HttpResponse:
    """The portal's 政府违约失信投诉 form; on success the complaint number."""
    if request.method != "POST":
        form = ComplaintForm(initial={"complainant_kind": "legal"})
        return render(request, "integrity/complaint_file.html", {"form": form})
    form = ComplaintForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "integrity/complaint_file.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        filed = services.complaint_submit(
            complainant=services.Complainant(
                name=data["complainant_name"],
                kind=data["complainant_kind"],
                code=data["complainant_code"],
                phone=data["complainant_phone"],
                email=data["complainant_email"],
            ),
            body_name=data["body_name"],
            body_uscc=data["body_uscc"],
            contract=data["contract"],
            facts=data["facts"],
            attachments=data["attachments"],
            request=request,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return render(request, "integrity/complaint_file.html", {"form": form}, status=exc.status)
    return render(
        request,
        "integrity/complaint_filed.html",
        {"complaint": filed.complaint, "secret": filed.secret},
        status=201,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_status(request: HttpRequest) -> HttpResponse:
    """A complaint's progress by its number and secret (sent by POST, so that
    the secret stays out of addresses and logs); 404 when either is wrong."""
    template = "integrity/complaint_status.html"
    if request.method != "POST":
        form = ComplaintStatusForm(initial={"number": request.GET.get("number", "")})
        return render(request, template, {"form": form})
    form = ComplaintStatusForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        ratelimit.check(request, "search")
        complaint = selectors.complaint_by_secret(
            number=form.cleaned_data["number"], secret=form.cleaned_data["secret"]
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return render(request, template, {"form": form}, status=exc.status)
    return render(request, template, {"form": ComplaintStatusForm(), "complaint": complaint})
