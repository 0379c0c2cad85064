"""Staff pages of credit repair (/staff/rights/repairs/): the queue with
filters and working-day countdowns, an application's page with the steps
open to the decider, its proofs (audited downloads), and the 信用修复告知书
of a record (两书同达), as a page and a print view. Views parse and call one
service."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import StaffRequest
from xinyong.records.selectors import record_get_for
from xinyong.rights import repair_selectors as selectors
from xinyong.rights import services
from xinyong.rights.audit_actions import REPAIR_ATTACHMENT_VIEW
from xinyong.rights.eligibility import repair_notice_facts, training_condition
from xinyong.rights.forms import ApproveForm, NoFields, ReasonForm, RejectForm
from xinyong.rights.models import Repair
from xinyong.rights.services.repair import repair_attachment_chunks

S = Repair.Status
Run = Callable[[StaffRequest, Repair, dict[str, Any]], Repair]


@dataclass(frozen=True, slots=True)
class Step:
    label: str | Promise
    form: type[forms.Form]
    statuses: tuple[str, ...]
    run: Run


STEPS: dict[str, Step] = {
    "accept": Step(
        gettext_lazy("受理"), NoFields, (S.FILED,),
        lambda r, o, d: services.repair_accept(actor=r.user, repair=o, request=r),
    ),
    "refuse": Step(
        gettext_lazy("不予受理"), ReasonForm, (S.FILED,),
        lambda r, o, d: services.repair_refuse(
            actor=r.user, repair=o, reason=d["reason"], request=r
        ),
    ),
    "approve": Step(
        gettext_lazy("准予修复"), ApproveForm, (S.REVIEWING,),
        lambda r, o, d: services.repair_approve(
            actor=r.user, repair=o, note=d["note"],
            obligations_confirmed=d["obligations_confirmed"], request=r,
        ),
    ),
    "reject": Step(
        gettext_lazy("不予修复"), RejectForm, (S.REVIEWING,),
        lambda r, o, d: services.repair_reject(
            actor=r.user, repair=o, reason=d["reason"], request=r
        ),
    ),
}  # fmt: skip


def _may_decide(request: StaffRequest, repair: Repair) -> bool:
    if repair.by_credit_office:
        return bool(request.user.is_credit_office)
    return request.user.department_id == repair.department_id


@login_required
def repair_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    overdue = request.GET.get("overdue") == "1"
    rows = [
        (r, selectors.repair_countdown(r))
        for r in selectors.repair_queue(user=request.user, status=status, overdue=overdue)[:200]
    ]
    return render(
        request,
        "rights/repair_list.html",
        {"rows": rows, "status": status, "statuses": S.choices, "overdue": overdue},
    )


def _detail(
    request: StaffRequest,
    repair: Repair,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = []
    if _may_decide(request, repair):
        steps = [
            {
                "slug": slug,
                "label": step.label,
                "form": bound[1] if bound and bound[0] == slug else step.form(),
            }
            for slug, step in STEPS.items()
            if repair.status in step.statuses
        ]
    return render(
        request,
        "rights/repair_detail.html",
        {
            "r": repair,
            "steps": steps,
            "countdown": selectors.repair_countdown(repair),
            "training": training_condition(repair.record, repair.rule),
        },
        status=status,
    )


@login_required
def repair_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.repair_for_staff(user=request.user, pk=pk))


@login_required
@require_POST
def repair_act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    step = STEPS.get(action)
    if step is None:
        raise Http404
    repair = selectors.repair_for_staff(user=request.user, pk=pk)
    form = step.form(request.POST)
    if not form.is_valid():
        return _detail(request, repair, (action, form), status=400)
    try:
        step.run(request, repair, form.cleaned_data)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return _detail(request, repair, (action, form), status=exc.status)
    messages.success(request, _("已办理：%(step)s") % {"step": step.label})
    return redirect("rights:repair_detail", pk=repair.pk)


@login_required
def repair_attachment_download(
    request: StaffRequest, pk: int, attachment_pk: int
) -> StreamingHttpResponse:
    """An applicant's proof, for the application's staff only (404 for others); audited."""
    repair = selectors.repair_for_staff(user=request.user, pk=pk)
    attachment = repair.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit_record(actor=request.user, action=REPAIR_ATTACHMENT_VIEW, obj=attachment, request=request)
    response = StreamingHttpResponse(
        repair_attachment_chunks(attachment), content_type=attachment.content_type
    )
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.original_name)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def repair_notice(request: StaffRequest, pk: int) -> HttpResponse:
    """The record's 信用修复告知书 (两书同达): served by the deciding department
    with its penalty decision; for the record's department and the credit
    office (404 for others, and for a record that is not negative
    information of a published tier)."""
    record = record_get_for(request.user, pk)
    facts = repair_notice_facts(record)
    if facts is None:
        raise Http404(_("该记录不是公示的失信信息，无需信用修复告知书"))
    form_url = request.build_absolute_uri(reverse("portal:repair_file")) + f"?record={record.pk}"
    template = (
        "rights/repair_notice_print.html"
        if request.GET.get("print")
        else "rights/repair_notice.html"
    )
    return render(
        request,
        template,
        {
            "f": facts,
            "record": record,
            "form_url": form_url,
            "guide_url": request.build_absolute_uri(reverse("portal:guide", args=["repair"])),
        },
    )
