"""The portal's credit repair page (信用修复): a record's eligibility shown
before anything is filed (which condition passes or fails, and the day the
shortest disclosure period passes), and the form when it is eligible."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.records import selectors as records
from xinyong.records.models import Record
from xinyong.rights.eligibility import repair_eligibility
from xinyong.rights.forms import RepairForm
from xinyong.rights.models import CommitmentType
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.rights.services import repair_submit
from xinyong.rights.services.commitments import commitment_text_for
from xinyong.rights.services.objection import Applicant


def _commitment_text() -> str:
    """The 信用修复型 text in effect today: what filing signs."""
    try:
        return commitment_text_for(CommitmentType.REPAIR, clock.today()).body
    except ApplicationError as exc:  # no text yet: say so instead of a blank
        return exc.message


def _target(record_id: object) -> Record:
    try:
        pk = int(str(record_id))
    except ValueError:
        raise Http404 from None
    record = records.record_list_public().filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def _page(
    request: HttpRequest, record: Record, form: RepairForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "portal/repair_file.html",
        {
            "form": form,
            "target": records.public_view(record),
            "eligibility": repair_eligibility(record),
            "commitment_text": _commitment_text(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def repair_file(request: HttpRequest) -> HttpResponse:
    """GET: the record's eligibility, and the form if it is eligible. POST:
    file (the service checks everything again); on success the number and
    the secret, shown once."""
    if request.method != "POST":
        record = _target(request.GET.get("record", ""))
        form = RepairForm(initial={"record_id": record.pk, "applicant_kind": "legal"})
        return _page(request, record, form)
    record = _target(request.POST.get("record_id", ""))
    form = RepairForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, record, form, status=400)
    data = form.cleaned_data
    try:
        ensure_within_rate(request, scope="file")
        filed = repair_submit(
            record_id=record.pk,
            applicant=Applicant(
                name=data["applicant_name"],
                kind=data["applicant_kind"],
                code=data["applicant_code"],
                phone=data["applicant_phone"],
            ),
            reason=data["reason"],
            commitment=bool(data["commitment"]),
            attachments=data["attachments"],
            request=request,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _page(request, record, form, status=exc.status)
    return render(
        request,
        "portal/repair_filed.html",
        {"repair": filed.repair, "secret": filed.secret},
        status=201,
    )
