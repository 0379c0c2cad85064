"""信用承诺 on the portal: the published commitments (主动型, 信用修复型; a
person's name masked), the signing form (no account), and enrolment in a
repair training session."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.records import selectors as records
from xinyong.rights import commitment_selectors as selectors
from xinyong.rights.commitment_forms import PublicCommitmentForm, PublicEnrolForm
from xinyong.rights.models import CommitmentText, CommitmentType, TrainingSession
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.rights.services.commitments import (
    PUBLIC_TYPES,
    Signer,
    commitment_sign_public,
    commitment_text_for,
)
from xinyong.rights.services.training import training_enrol_public


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@require_safe
def commitment_list(request: HttpRequest) -> HttpResponse:
    type_ = request.GET.get("type", "")
    type_ = type_ if type_ in PUBLIC_TYPES else ""
    page = records.page_of(selectors.commitments_published(type=type_), _page_number(request), 20)
    page.rows = [selectors.public_view(c) for c in page.rows]
    return render(
        request,
        "portal/commitment_list.html",
        {"page": page, "type": type_, "types": [(t.value, t.label) for t in PUBLIC_TYPES]},
    )


def _texts() -> list[CommitmentText]:
    found = []
    for type_ in PUBLIC_TYPES:
        try:
            found.append(commitment_text_for(type_, clock.today()))
        except ApplicationError:
            continue
    return found


def _apply_error(form: PublicCommitmentForm | PublicEnrolForm, exc: ApplicationError) -> None:
    """The service's message next to the field it names (`signer.code` → `signer_code`)."""
    details = exc.details if isinstance(exc.details, dict) else {}
    names = [str(key).replace(".", "_") for key in details]
    form.add_error(next((n for n in names if n in form.fields), None), exc.message)


def _signer(data: dict[str, str]) -> Signer:
    return Signer(
        kind=data["signer_kind"],
        name=data["signer_name"],
        code=data["signer_code"],
        phone=data["phone"],
        contact_name=data.get("contact_name", ""),
        email=data.get("email", ""),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def commitment_new(request: HttpRequest) -> HttpResponse:
    """Sign a 主动型 or 信用修复型 commitment: the text in effect today is shown in full."""
    initial = {"signer_kind": "legal", "type": request.GET.get("type", CommitmentType.VOLUNTARY)}
    form = PublicCommitmentForm(request.POST or None, initial=initial)
    context = {"form": form, "texts": _texts()}
    if request.method != "POST":
        return render(request, "portal/commitment_new.html", context)
    if not form.is_valid():
        return render(request, "portal/commitment_new.html", context, status=400)
    data = form.cleaned_data
    try:
        ensure_within_rate(request, scope="file")
        commitment = commitment_sign_public(
            type=data["type"],
            signer=_signer(data),
            department_id=data["department"].pk,
            matter=data["matter"],
            accepted=data["accepted"],
            request=request,
        )
    except ApplicationError as exc:
        _apply_error(form, exc)
        return render(request, "portal/commitment_new.html", context, status=exc.status)
    return render(
        request,
        "portal/commitment_signed.html",
        {
            "c": selectors.public_view(commitment),
            "published": commitment.is_published,
            "title": commitment.text.title,
            "text": commitment.text_body,
        },
        status=201,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def training_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.sessions_open().filter(pk=pk).first()
    if session is None:
        raise Http404
    form = PublicEnrolForm(request.POST or None, initial={"signer_kind": "legal"})
    context = {"form": form, "session": session, "sessions": selectors.sessions_open()[:20]}
    if request.method != "POST":
        return render(request, "portal/training_enrol.html", context)
    if not form.is_valid():
        return render(request, "portal/training_enrol.html", context, status=400)
    try:
        ensure_within_rate(request, scope="file")
        training_enrol_public(
            session=TrainingSession.objects.get(pk=session.pk),
            signer=_signer(form.cleaned_data),
            participant=form.cleaned_data["participant"],
            request=request,
        )
    except ApplicationError as exc:
        _apply_error(form, exc)
        return render(request, "portal/training_enrol.html", context, status=exc.status)
    return render(request, "portal/training_enrolled.html", {"session": session}, status=201)
