"""知情 on the portal (issue 14 §7): a company opens everything the platform
holds about it with its USCC and the access code the credit office issued
after checking its authorisation letter (`rights.services.disclosure`).

The code opens a session of `CODE_SESSION_MINUTES` for that subject only
(the session holds the grant's id and the end); each look at the file and
its print version is audited; wrong, expired or revoked codes are refused
with one message, audited, and limited per client address."""

import datetime as dt

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.rights.dossier import subject_dossier
from xinyong.rights.forms import CodeUseForm
from xinyong.rights.models import DisclosureAccess
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.rights.services import disclosure as service

SESSION_KEY = "xinyong_disclosure"


@require_http_methods(["GET", "POST"])
def disclosure_open(request: HttpRequest) -> HttpResponse:
    form = CodeUseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ensure_within_rate(request, scope="disclosure")
            access = service.disclosure_code_use(
                uscc=form.cleaned_data["uscc"], code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return render(request, "portal/disclosure_open.html", {"form": form}, status=exc.status)
        request.session.cycle_key()
        until = min(
            access.expires_at, clock.now() + dt.timedelta(minutes=service.CODE_SESSION_MINUTES)
        )
        request.session[SESSION_KEY] = {"id": access.pk, "until": until.isoformat()}
        return redirect("portal:disclosure_file")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/disclosure_open.html", {"form": form}, status=status)


@require_safe
def disclosure_file(request: HttpRequest) -> HttpResponse:
    held = request.session.get(SESSION_KEY) or {}
    access = None
    if isinstance(held, dict) and isinstance(held.get("id"), int):
        until = dt.datetime.fromisoformat(str(held.get("until")))
        if until > clock.now():
            access = (
                DisclosureAccess.objects.select_related("subject").filter(pk=held["id"]).first()
            )
    if access is None or not service.access_valid(access):
        request.session.pop(SESSION_KEY, None)
        return HttpResponseRedirect(reverse("portal:disclosure_open"))
    printed = request.GET.get("print") == "1"
    service.disclosure_view(access=access, user=None, request=request, printed=printed)
    response = render(
        request,
        "rights/disclosure_print.html" if printed else "portal/disclosure_file.html",
        {"access": access, "dossier": subject_dossier(access.subject)},
    )
    response["Cache-Control"] = "no-store, private"
    return response
