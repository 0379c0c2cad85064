from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core.errors import ApplicationError
from xinyong.orgs.http import StaffRequest
from xinyong.subjects import selectors, services
from xinyong.subjects.forms import STATUS_FILTERS, ConflictResolveForm, QualityFilterForm


@login_required
def conflict_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in dict(STATUS_FILTERS):
        status = "open"
    conflicts = selectors.conflict_list_for(
        request.user, status=None if status == "all" else status
    )
    page = Paginator(conflicts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "subjects/conflict_list.html",
        {
            "page": page,
            "status": status,
            "status_filters": STATUS_FILTERS,
            "form": ConflictResolveForm(),
        },
    )


@login_required
@require_POST
def conflict_resolve(request: StaffRequest, pk: int) -> HttpResponse:
    conflict = selectors.conflict_get_for(request.user, pk)
    form = ConflictResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写处理说明"))
        return redirect("subjects:conflict_list")
    try:
        services.conflict_resolve(
            actor=request.user,
            conflict=conflict,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("冲突 #%(pk)s 已处理：%(status)s")
            % {"pk": pk, "status": conflict.get_status_display()},
        )
    return redirect("subjects:conflict_list")


@login_required
def subject_detail(request: StaffRequest, pk: int) -> HttpResponse:
    subject = selectors.subject_get_for_staff(request.user, pk)
    services.subject_log_view(actor=request.user, subject=subject, request=request)
    return render(
        request,
        "subjects/subject_detail.html",
        {
            "subject": subject,
            "conflicts": selectors.subject_conflicts_for(request.user, subject)[:50],
        },
    )


@login_required
def quality(request: StaffRequest) -> HttpResponse:
    form = QualityFilterForm(request.GET or None)
    since = form.cleaned_data["since"] if form.is_valid() else None
    department_ids = None if request.user.is_credit_office else [request.user.department_id or -1]
    wrong_codes = selectors.wrong_code_counts_for(since)
    rows = selectors.quality_by_department(
        since=since, wrong_code_counts=wrong_codes, department_ids=department_ids
    )
    return render(
        request,
        "subjects/quality.html",
        {
            "rows": rows,
            "form": form,
            "target": selectors.QUALITY_TARGET,
            "has_wrong_codes": wrong_codes is not None,
        },
    )
