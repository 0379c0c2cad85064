"""Staff pages of objections (/staff/rights/): the queue with filters and
working-day countdowns, and an objection's page with the form of each step
open to the user. Views parse and call one service."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import StaffRequest
from xinyong.rights import selectors, services
from xinyong.rights.attachments import attachment_chunks
from xinyong.rights.audit_actions import OBJECTION_ATTACHMENT_VIEW
from xinyong.rights.forms import NoFields, NoteForm, ReasonForm, ReplyForm, VerifyForm
from xinyong.rights.models import Objection
from xinyong.rights.queues import QueueFilters, queue_rows

S = Objection.Status
Run = Callable[[StaffRequest, Objection, dict[str, Any]], Objection]


@dataclass(frozen=True, slots=True)
class Step:
    label: str | Promise
    form: type[forms.Form]
    statuses: tuple[str, ...]
    credit_office: bool  # a step of the credit office (else of the providing department)
    run: Run


STEPS: dict[str, Step] = {
    "accept": Step(
        gettext_lazy("受理"), NoFields, (S.FILED, S.NEEDS_MORE), True,
        lambda r, o, d: services.objection_accept(actor=r.user, objection=o, request=r),
    ),
    "request-more": Step(
        gettext_lazy("要求补正"), NoteForm, (S.FILED,), True,
        lambda r, o, d: services.objection_request_more(
            actor=r.user, objection=o, note=d["note"], request=r
        ),
    ),
    "refuse": Step(
        gettext_lazy("不予受理"), ReasonForm, (S.FILED, S.NEEDS_MORE), True,
        lambda r, o, d: services.objection_refuse(
            actor=r.user, objection=o, reason=d["reason"], request=r
        ),
    ),
    "route": Step(
        gettext_lazy("转交提供部门核查"), NoFields, (S.ACCEPTED,), True,
        lambda r, o, d: services.objection_route(actor=r.user, objection=o, request=r),
    ),
    "verify": Step(
        gettext_lazy("核查结论"), VerifyForm, (S.VERIFYING,), False,
        lambda r, o, d: services.objection_verify(
            actor=r.user, objection=o, outcome=d["outcome"], note=d["note"],
            corrections=d["corrections"], request=r,
        ),
    ),
    "close": Step(
        gettext_lazy("答复并办结"), ReplyForm, (S.CORRECTED, S.UPHELD, S.REVOKED), True,
        lambda r, o, d: services.objection_close(
            actor=r.user, objection=o, reply=d["reply"], request=r
        ),
    ),
}  # fmt: skip


@login_required
def objection_list(request: StaffRequest) -> HttpResponse:
    filters = QueueFilters.parse(request, statuses=S.values, user=request.user)
    qs = selectors.objection_queue(user=request.user)
    if filters.overdue:  # only open objections can be late: the cap never hides one
        qs = qs.exclude(status__in=Objection.FINAL)
    rows = queue_rows(qs, filters, selectors.countdown)
    return render(
        request,
        "rights/objection_list.html",
        {"rows": rows, **filters.context(statuses=S.choices, user=request.user)},
    )


def _detail(
    request: StaffRequest,
    objection: Objection,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = [
        {
            "slug": slug,
            "label": step.label,
            "form": bound[1] if bound and bound[0] == slug else step.form(),
        }
        for slug, step in STEPS.items()
        if objection.status in step.statuses
        and (request.user.is_credit_office or not step.credit_office)
    ]
    return render(
        request,
        "rights/objection_detail.html",
        {"o": objection, "steps": steps, "countdown": selectors.countdown(objection)},
        status=status,
    )


@login_required
def objection_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.objection_for_staff(user=request.user, pk=pk))


@login_required
def attachment_download(
    request: StaffRequest, pk: int, attachment_pk: int
) -> StreamingHttpResponse:
    """An applicant's proof, for the objection's staff only (404 for others); audited."""
    objection = selectors.objection_for_staff(user=request.user, pk=pk)
    attachment = objection.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit_record(
        actor=request.user, action=OBJECTION_ATTACHMENT_VIEW, obj=attachment, request=request
    )
    response = StreamingHttpResponse(
        attachment_chunks(attachment), content_type=attachment.content_type
    )
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.original_name)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def objection_act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    step = STEPS.get(action)
    if step is None:
        raise Http404
    objection = selectors.objection_for_staff(user=request.user, pk=pk)
    form = step.form(request.POST)
    if not form.is_valid():
        return _detail(request, objection, (action, form), status=400)
    try:
        step.run(request, objection, form.cleaned_data)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return _detail(request, objection, (action, form), status=exc.status)
    messages.success(request, _("已办理：%(step)s") % {"step": step.label})
    return redirect("rights:objection_detail", pk=objection.pk)
