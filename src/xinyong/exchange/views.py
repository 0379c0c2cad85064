"""Staff pages of the exchange (/staff/exchange/): the outbox by state (a
department sees its own items' messages; the credit office all, and
retries), and for the credit office the reconciliation, the inbound log and
the national-format files. Views parse and call one service or selector."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.core.models import OutboxStatus
from xinyong.exchange import client, files, selectors, tasks
from xinyong.exchange.audit_actions import EXCHANGE_FILE_DOWNLOAD
from xinyong.exchange.services import delivery
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.permissions import ensure_credit_office

PAGE = 50


def _service_mode() -> str:
    try:
        client.endpoint()
    except client.NotConfigured as exc:
        return str(exc)
    return ""


@login_required
def outbox(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in OutboxStatus.values else ""
    topic = request.GET.get("topic", "")[:100]
    rows = selectors.outbox_list_for(request.user, status=status, topic=topic)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    counts = selectors.outbox_counts_for(request.user)
    return render(
        request,
        "exchange/outbox.html",
        {
            "page": page,
            "status": status,
            "topic": topic,
            "statuses": OutboxStatus.choices,
            "states": [(value, label, counts[value]) for value, label in OutboxStatus.choices],
            "topics": selectors.outbox_topics(),
            "not_configured": _service_mode(),
        },
    )


@login_required
@require_POST
def outbox_retry(request: StaffRequest, pk: int) -> HttpResponse:
    message = selectors.outbox_get_for(request.user, pk)
    try:
        delivery.outbox_message_retry(actor=request.user, message=message, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新排队发送：%(key)s") % {"key": message.key})
    return redirect(request.POST.get("next") or "exchange:outbox")


@login_required
def reconciliation(request: StaffRequest) -> HttpResponse:
    ensure_credit_office(request.user)
    return render(
        request,
        "exchange/reconciliation.html",
        {"reports": selectors.reconciliations(), "not_configured": _service_mode()},
    )


@login_required
def inbound(request: StaffRequest) -> HttpResponse:
    ensure_credit_office(request.user)
    return render(
        request,
        "exchange/inbound.html",
        {
            "runs": selectors.inbound_runs(),
            "rejected": selectors.inbound_rejected(),
            "not_configured": _service_mode(),
        },
    )


@login_required
def file_list(request: StaffRequest) -> HttpResponse:
    ensure_credit_office(request.user)
    if request.method == "POST":
        try:
            day = dt.date.fromisoformat(request.POST.get("day", ""))
        except ValueError:
            messages.error(request, _("日期：请填写 YYYY-MM-DD 格式的日期"))
        else:
            if day > clock.today():
                messages.error(request, _("日期：不能晚于今天"))
            else:
                tasks.build_files.enqueue(day.isoformat())
                messages.success(
                    request, _("已排队生成 %(day)s 的交换文件，稍后刷新本页") % {"day": day}
                )
        return redirect("exchange:files")
    return render(
        request,
        "exchange/files.html",
        {"files": files.list_files(), "yesterday": clock.today() - dt.timedelta(days=1)},
    )


@login_required
def file_download(request: StaffRequest, name: str) -> FileResponse:
    ensure_credit_office(request.user)
    path = files.file_path(name)
    if path is None:
        raise Http404(_("未找到该文件"))
    audit_record(action=EXCHANGE_FILE_DOWNLOAD, object_id=name, object_label=name, request=request)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
