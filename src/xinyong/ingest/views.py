from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from xinyong.catalog.selectors import item_get_for
from xinyong.core.crypto import plain_chunks
from xinyong.core.errors import ApplicationError
from xinyong.ingest import selectors, services, spreadsheets
from xinyong.ingest.forms import UploadForm
from xinyong.ingest.models import Batch, RejectedRow
from xinyong.ingest.progress import progress_of
from xinyong.ingest.uploads import HashingUploadHandler, too_large_message
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.models import Department

REFRESH_SECONDS = 2
# Warned rows listed on the batch page; all of them are in the xlsx report.
WARNINGS_SHOWN = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def batch_list(request: StaffRequest) -> HttpResponse:
    batches = Paginator(selectors.batch_list_for(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ingest/batch_list.html",
        {"batches": batches, "summary": selectors.department_intake_summary(request.user)},
    )


@csrf_exempt  # checked below, once the upload handlers are in place
@login_required
def upload(request: StaffRequest) -> HttpResponse:
    # Stream the file to disk with its digest, to be moved into place
    # (CSRF's check reads the form, so it runs after this: Django's docs).
    handler = HashingUploadHandler(request)
    request.upload_handlers = [handler]
    return _upload(request, handler)


@csrf_protect
def _upload(request: StaffRequest, handler: HashingUploadHandler) -> HttpResponse:
    items = selectors.items_for_submission(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, items=items)
    if handler.refused:  # stopped while streaming: nothing of it was kept
        form.add_error("file", too_large_message())
    if request.method == "POST" and form.is_valid():
        department: Department | None = (
            form.cleaned_data.get("department") or request.user.department
        )
        if department is None:  # only the credit office has none, and its form asks for one
            raise PermissionDenied
        try:
            batch = services.batch_submit_upload(
                actor=request.user,
                department=department,
                item=form.cleaned_data["item"],
                upload=form.cleaned_data["file"],
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if batch.status == Batch.Status.DONE:
                messages.success(
                    request,
                    _("已处理：接收 %(r)d 行，通过 %(a)d 行，退回 %(j)d 行")
                    % {"r": batch.received, "a": batch.accepted, "j": batch.rejected},
                )
            elif batch.status == Batch.Status.PENDING:
                messages.info(
                    request, _("文件已收到，正在后台处理；本页会自动刷新，显示进度和结果")
                )
            return redirect("ingest:batch_detail", pk=batch.pk)
    return render(request, "ingest/upload.html", {"form": form, "items": items})


@login_required
def batch_detail(request: StaffRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_for(request.user, pk)
    working = batch.status in (Batch.Status.PENDING, Batch.Status.PROCESSING)
    # An unfinished batch shows its counts, not its rows (they may still go).
    rows = RejectedRow.objects.none() if working else batch.rejected_rows.order_by("row_number")
    rejected = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "ingest/batch_detail.html",
        {
            "batch": batch,
            "rejected": rejected,
            # The errors are encrypted at rest (they may quote an ID number).
            "rejected_rows": [
                {"row_number": row.row_number, "messages": row.clear_errors()} for row in rejected
            ],
            "warned_rows": [
                {"row_number": row.row_number, "messages": row.warnings}
                for row in batch.warned_rows.order_by("row_number")[:WARNINGS_SHOWN]
            ],
            "progress": progress_of(batch) if working else None,
            # The page reloads itself until the batch ends (no script needed).
            "refresh_seconds": REFRESH_SECONDS if working else None,
        },
    )


@login_required
def batch_errors(request: StaffRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_for(request.user, pk)
    if batch.status in (Batch.Status.PENDING, Batch.Status.PROCESSING):
        raise Http404  # its rejected rows may still go (a retry writes them anew)
    return _xlsx(spreadsheets.error_report(batch), f"batch-{batch.pk}-errors.xlsx")


@login_required
def batch_original(request: StaffRequest, pk: int) -> StreamingHttpResponse:
    """The file as received, decrypted as it streams: for the uploading
    department and the credit office (`batch_get_for`)."""
    batch = selectors.batch_get_for(request.user, pk)
    path = Path(settings.MEDIA_ROOT) / batch.stored_file
    if not batch.stored_file or not path.is_file():
        raise Http404
    response = StreamingHttpResponse(plain_chunks(path), content_type="application/octet-stream")
    response["Content-Disposition"] = (
        content_disposition_header(True, batch.original_name) or "attachment"
    )
    response["Content-Length"] = str(batch.size)
    return response


@login_required
def item_template(request: StaffRequest, code: str) -> HttpResponse:
    # Only the department's own items (and all for the credit office); any
    # other is "not found", as a missing one.
    item = item_get_for(request.user, code)
    if item.current_version is None:
        raise Http404
    return _xlsx(
        spreadsheets.item_template(item.current_version.schema), f"{item.code}-template.xlsx"
    )


@login_required
def late_records(request: StaffRequest) -> HttpResponse:
    records = Paginator(selectors.late_records_for(request.user), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "ingest/late_records.html", {"records": records})
