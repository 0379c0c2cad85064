"""Staff pages of commitments and repair training (/staff/rights/…): queues,
a commitment's page with the fulfilment decision, the upload of signed
commitments, training sessions, enrolment, attendance and the certificate.
Views parse and call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import StaffRequest
from xinyong.rights import commitment_selectors as selectors
from xinyong.rights.commitment_forms import DecideForm, EnrolForm, SessionForm, UploadForm
from xinyong.rights.models import Commitment, CommitmentType
from xinyong.rights.services.commitment_fulfilment import commitment_breach, commitment_fulfil
from xinyong.rights.services.commitment_upload import TEMPLATE_HEADER, commitment_upload_submit
from xinyong.rights.services.training import (
    training_enrol,
    training_mark,
    training_session_create,
)
from xinyong.subjects.services import subject_log_view


@login_required
def commitment_list(request: StaffRequest) -> HttpResponse:
    type_ = request.GET.get("type", "")
    type_ = type_ if type_ in CommitmentType.values else ""
    status = request.GET.get("status", "")
    status = status if status in Commitment.Status.values else ""
    rows = selectors.commitment_queue(user=request.user, type=type_, status=status)[:200]
    return render(
        request,
        "rights/commitment_list.html",
        {
            "rows": rows,
            "type": type_,
            "status": status,
            "types": CommitmentType.choices,
            "statuses": Commitment.Status.choices,
        },
    )


def _commitment_page(
    request: StaffRequest, c: Commitment, form: DecideForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "rights/commitment_detail.html",
        {"c": c, "form": form or DecideForm()},
        status=status,
    )


@login_required
def commitment_detail(request: StaffRequest, pk: int) -> HttpResponse:
    c = selectors.commitment_for_staff(user=request.user, pk=pk)
    # A person's commitment shows who they are: the look-up is logged.
    subject_log_view(actor=request.user, subject=c.subject, request=request)
    return _commitment_page(request, c)


@login_required
@require_POST
def commitment_decide(request: StaffRequest, pk: int) -> HttpResponse:
    c = selectors.commitment_for_staff(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _commitment_page(request, c, form, status=400)
    data = form.cleaned_data
    decide = commitment_breach if data["outcome"] == "breached" else commitment_fulfil
    try:
        decide(
            actor=request.user,
            commitment=c,
            facts=data["facts"],
            decided_on=data["decided_on"],
            request=request,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        form.add_error(None, exc.message)
        return _commitment_page(request, c, form, status=exc.status)
    messages.success(request, _("已登记履约认定"))
    return redirect("rights:commitment_detail", pk=c.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_upload(request: StaffRequest) -> HttpResponse:
    context = {"header": TEMPLATE_HEADER, "types": CommitmentType.labels}
    if request.method != "POST":
        return render(request, "rights/commitment_upload.html", {**context, "form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    department = request.user.department
    if form.is_valid() and department is not None:
        try:
            upload = commitment_upload_submit(
                actor=request.user,
                department=department,
                upload=form.cleaned_data["file"],
                request=request,
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("rights:commitment_upload_detail", pk=upload.pk)
    elif department is None:
        form.add_error(None, _("您的账号未关联部门，不能上传"))
    return render(request, "rights/commitment_upload.html", {**context, "form": form}, status=400)


@login_required
def commitment_upload_detail(request: StaffRequest, pk: int) -> HttpResponse:
    upload = selectors.upload_for_staff(user=request.user, pk=pk)
    expected = upload.expected_rows
    percent = min(99, upload.received * 100 // expected) if upload.working and expected else None
    return render(
        request, "rights/commitment_upload_detail.html", {"upload": upload, "percent": percent}
    )


# -- training ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def training_list(request: StaffRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and request.user.department is not None:
        try:
            session = training_session_create(
                actor=request.user, organiser=request.user.department, request=request,
                **form.cleaned_data,
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("rights:training_detail", pk=session.pk)
    sessions = selectors.sessions_for(request.user)[:200]
    return render(
        request,
        "rights/training_list.html",
        {"sessions": sessions, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _session_page(
    request: StaffRequest, pk: int, form: EnrolForm | None = None, status: int = 200
) -> HttpResponse:
    session = selectors.session_for_staff(user=request.user, pk=pk)
    enrolments = session.enrolments.select_related("subject").order_by("id")
    return render(
        request,
        "rights/training_detail.html",
        {"session": session, "enrolments": enrolments, "form": form or EnrolForm()},
        status=status,
    )


@login_required
def training_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _session_page(request, pk)


@login_required
@require_POST
def training_enrol_view(request: StaffRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_staff(user=request.user, pk=pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        return _session_page(request, pk, form, status=400)
    subject = selectors.subject_for_code(form.cleaned_data["subject_code"])
    if subject is None:
        form.add_error("subject_code", _("未找到该信用主体，请核对统一社会信用代码或身份证号码"))
        return _session_page(request, pk, form, status=400)
    try:
        training_enrol(
            actor=request.user, session=session, subject=subject,
            participant=form.cleaned_data["participant"], phone=form.cleaned_data["phone"],
            request=request,
        )  # fmt: skip
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        form.add_error(None, exc.message)
        return _session_page(request, pk, form, status=exc.status)
    messages.success(request, _("已报名"))
    return redirect("rights:training_detail", pk=pk)


@login_required
@require_POST
def training_mark_view(request: StaffRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_staff(user=request.user, pk=pk)
    try:
        training_mark(
            actor=request.user,
            enrolment=enrolment,
            attended=request.POST.get("attended") == "1",
            request=request,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("rights:training_detail", pk=enrolment.session_id)


@login_required
def training_certificate(request: StaffRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_staff(user=request.user, pk=pk)
    if not enrolment.certificate_number:
        messages.error(request, _("该报名尚未登记为已参训，没有结业证书"))
        return redirect("rights:training_detail", pk=enrolment.session_id)
    return render(request, "rights/training_certificate.html", {"e": enrolment})
