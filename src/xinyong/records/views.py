from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import StaffRequest
from xinyong.records import selectors, services
from xinyong.records.forms import WithdrawForm
from xinyong.records.models import Record


@login_required
def record_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail_page(
        request, selectors.record_get_for(request.user, pk, request=request), WithdrawForm()
    )


def _detail_page(
    request: StaffRequest, record: Record, form: WithdrawForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "disclosure": selectors.record_disclosure(record),
            "fields": selectors.record_fields(record),
            "history": selectors.record_history(record),
            "withdrawn": record.status == Record.Status.WITHDRAWN,
            "withdraw_form": form,
        },
        status=status,
    )


@login_required
@require_POST
def record_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    record = selectors.record_get_for(request.user, pk, request=request)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能撤回：请按提示填写"))
        return _detail_page(request, record, form, status=400)
    try:
        services.record_withdraw(
            actor=request.user,
            record=record,
            reason=form.cleaned_data["reason"],
            decided_on=form.cleaned_data["decided_on"],
            kind=form.cleaned_data["kind"],
            request=request,
        )
    except ApplicationError as exc:
        # The service refuses before it changes anything: `record` is as read.
        messages.error(request, _("未能撤回：%(reason)s") % {"reason": exc.message})
        return _detail_page(request, record, form, status=400)
    messages.success(request, _("记录已撤回，已不在信用神农架公示"))
    return redirect("records:detail", pk=pk)
