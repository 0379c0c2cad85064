"""Staff pages of 联合奖惩: the check (one subject or a bidders file), its
feedback, the 应查尽查 coverage, cases and the plan's quotas (their home panels are in `home.py`)."""

import datetime as dt
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core import clock
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.permissions import can_access_department
from xinyong.sanctions import selectors
from xinyong.sanctions.forms import (
    BulkCheckForm,
    CaseForm,
    CheckForm,
    FeedbackForm,
    ReviewForm,
    TagsForm,
)
from xinyong.sanctions.matching import Query, parse_text
from xinyong.sanctions.models import Check, CheckBatch
from xinyong.sanctions.services import batches, cases, checks, feedback


def _error_to_form(form: forms.BaseForm, exc: ApplicationError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    field = next((f for f in details if f in form.fields), None)
    form.add_error(field, exc.message)


@login_required
def check_page(request: StaffRequest) -> HttpResponse:
    """One subject: the form, and the answer under it."""
    form = CheckForm(request.POST or None, initial={"domain": "XZXK"})
    outcome = None
    if request.method == "POST" and form.is_valid():
        parsed = parse_text(form.cleaned_data["query"])
        name = form.cleaned_data["name"].strip()
        query = Query(
            uscc=parsed.uscc,
            legacy_code=parsed.legacy_code,
            id_number=parsed.id_number,
            name=parsed.name or name,
        )
        try:
            outcome = checks.check_run(
                actor=request.user,
                department=request.user.department,
                domain_code=form.cleaned_data["domain"],
                matter=form.cleaned_data["matter"],
                query=query,
                channel=Check.Channel.PAGE,
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "sanctions/check.html",
        {
            "form": form,
            "bulk_form": BulkCheckForm(initial={"domain": "ZBTB"}, prefix="bulk"),
            "outcome": outcome.as_dict() if outcome else None,
            "recent": selectors.check_list_for(request.user).filter(batch__isnull=True)[:20],
        },
        status=status,
    )


def _as_path(upload: UploadedFile, folder: str) -> Path:
    path = Path(folder) / "upload"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@login_required
@require_POST
def check_bulk(request: StaffRequest) -> HttpResponse:
    """Queue a bidders file and answer at once with its page (progress, then result)."""
    form = BulkCheckForm(request.POST, request.FILES, prefix="bulk")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with tempfile.TemporaryDirectory(prefix="xinyong-check-") as folder:
                batch = batches.check_batch_submit(
                    actor=request.user,
                    department=request.user.department,
                    domain_code=form.cleaned_data["domain"],
                    matter=form.cleaned_data["matter"],
                    path=_as_path(upload, folder),
                    file_name=upload.name or "",
                    request=request,
                )
        except ApplicationError as exc:
            _error_to_form(form, exc)
        else:
            return redirect("sanctions:bulk_detail", pk=batch.pk)
    return render(
        request,
        "sanctions/check.html",
        {
            "form": CheckForm(initial={"domain": "XZXK"}),
            "bulk_form": form,
            "outcome": None,
            "recent": selectors.check_list_for(request.user).filter(batch__isnull=True)[:20],
        },
        status=400,
    )


def _batch_for(request: StaffRequest, pk: int) -> CheckBatch:
    batch = CheckBatch.objects.select_related("domain", "department").filter(pk=pk).first()
    if batch is None or not can_access_department(request.user, batch.department_id):
        raise NotFoundError("not_found", _("未找到该批量核查，或您无权访问"))
    return batch


@login_required
def bulk_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """The batch: while a worker checks it, its progress (the page reloads
    itself every 2 s, no script); then its hits and the result sheet."""
    batch = _batch_for(request, pk)
    done = batch.status == CheckBatch.Status.DONE
    hits = batch.checks.filter(hit_count__gt=0).order_by("row")[:200] if done else []
    total = batch.rows or batch.expected_rows
    percent = min(99, batch.checked_rows * 100 // total) if total and not done else None
    return render(
        request,
        "sanctions/bulk_detail.html",
        {
            "batch": batch,
            "hits": hits,
            "working": batch.status in (CheckBatch.Status.QUEUED, CheckBatch.Status.RUNNING),
            "total": total,
            "percent": percent,
        },
    )


@login_required
def bulk_result(request: StaffRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    if batch.status != CheckBatch.Status.DONE:
        raise NotFoundError("not_ready", _("该批量核查尚未完成，暂无核查结果表"))
    response = HttpResponse(
        bytes(batch.result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="check-result-{batch.pk}.xlsx"'
    return response


@login_required
def check_detail(request: StaffRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for(request.user, pk)
    measure_ids = [m["id"] for hit in check.hits for m in hit["measures"] + hit["rewards"]]
    form = FeedbackForm(
        request.POST or None,
        measure_ids=measure_ids,
        initial={"decided_on": clock.today(), "applied": "1" if measure_ids else "0"},
    )
    if request.method == "POST" and form.is_valid():
        measure = form.cleaned_data["measure"]
        try:
            feedback.feedback_submit(
                actor=request.user,
                check=check,
                applied=form.cleaned_data["applied"],
                measure_id=measure.pk if measure else None,
                reason_not_applied=form.cleaned_data["reason_not_applied"],
                result=form.cleaned_data["result"],
                decided_on=form.cleaned_data["decided_on"],
                request=request,
            )
        except ApplicationError as exc:
            _error_to_form(form, exc)
        else:
            messages.success(request, _("已反馈措施落实情况"))
            return redirect("sanctions:check_detail", pk=pk)
    given = getattr(check, "feedback", None) if hasattr(check, "feedback") else None
    return render(
        request,
        "sanctions/check_detail.html",
        {"check": check, "form": form, "given": given, "today": clock.today()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def feedback_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "sanctions/feedback_list.html",
        {"pending": selectors.feedback_pending_for(request.user)[:200], "today": clock.today()},
    )


@login_required
def coverage(request: StaffRequest) -> HttpResponse:
    raw = request.GET.get("year") or ""
    # Four ASCII digits ("²".isdigit() is true, int() refuses it): a year `dt.date` takes.
    valid = raw.isascii() and raw.isdigit() and len(raw) == 4 and raw >= "1000"
    year = int(raw) if valid else clock.today().year
    ids = None if request.user.is_credit_office else [request.user.department_id or 0]
    rows = selectors.coverage(
        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), department_ids=ids
    )
    return render(request, "sanctions/coverage.html", {"rows": rows, "year": year})


# -- cases -------------------------------------------------------------------------------


@login_required
def case_list(request: StaffRequest) -> HttpResponse:
    ids = None if request.user.is_credit_office else [request.user.department_id or 0]
    feedback_ready = (
        selectors.check_list_for(request.user)
        .filter(feedback__isnull=False)
        .filter(Q(feedback__cases__isnull=True))
        .select_related("feedback")[:50]
    )
    return render(
        request,
        "sanctions/case_list.html",
        {
            "cases": selectors.case_list_for(request.user)[:200],
            "quotas": selectors.quotas(department_ids=ids),
            "feedback_ready": feedback_ready,
        },
    )


@login_required
def case_new(request: StaffRequest, feedback_id: int) -> HttpResponse:
    source = selectors.feedback_for_case(request.user, feedback_id)
    form = CaseForm(request.POST or None, initial=cases.case_template(source))
    if request.method == "POST" and form.is_valid():
        try:
            case = cases.case_create(
                actor=request.user, feedback=source, request=request, **form.cleaned_data
            )
        except ApplicationError as exc:
            _error_to_form(form, exc)
        else:
            messages.success(request, _("案例已保存为草稿"))
            return redirect("sanctions:case_detail", pk=case.pk)
    return render(request, "sanctions/case_form.html", {"form": form, "feedback": source})


@login_required
def case_detail(request: StaffRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for(request.user, pk)
    tags = list(case.tags.all())
    return render(
        request,
        "sanctions/case_detail.html",
        {
            "case": case,
            "tags": tags,
            "review_form": ReviewForm(initial={"tags": tags}),
            "tags_form": TagsForm(initial={"tags": tags}),
        },
    )


@login_required
@require_POST
def case_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get_for(request.user, pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            # The note through the form too: a NUL refused (PostgreSQL cannot keep one).
            field = next(iter(form.errors))
            raise ApplicationError(
                f"bad_{field}",
                _("标签：请从已有标签中选择")
                if field == "tags"
                else _("审核意见：%(error)s") % {"error": form.errors[field][0]},
            )
        note = form.cleaned_data["note"]
        if action == "submit":
            cases.case_submit(actor=request.user, case=case, request=request)
            messages.success(request, _("已提交信用办审核"))
        elif action == "publish":
            cases.case_publish(
                actor=request.user,
                case=case,
                note=note,
                tags=form.cleaned_data["tags"],
                request=request,
            )
            messages.success(request, _("已在信用神农架“诚信宣传 · 典型案例”发布"))
        elif action == "return":
            cases.case_return(actor=request.user, case=case, note=note, request=request)
            messages.success(request, _("已退回"))
        elif action == "retag":
            cases.case_retag(
                actor=request.user, case=case, tags=form.cleaned_data["tags"], request=request
            )
            messages.success(request, _("标签已更新，门户即时显示"))
        else:
            raise PermissionDenied
    except ApplicationError as exc:
        messages.error(request, exc.message)
        case = selectors.case_get_for(request.user, pk)
        return render(
            request,
            "sanctions/case_detail.html",
            {
                "case": case,
                "tags": list(case.tags.all()),
                "review_form": form,
                "tags_form": TagsForm(request.POST),
            },
            status=exc.status,
        )
    return redirect("sanctions:case_detail", pk=pk)
