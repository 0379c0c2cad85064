from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.orgs import selectors, services
from xinyong.orgs.forms import DepartmentForm, TokenForm, UserForm
from xinyong.orgs.home import panels_for
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.permissions import can_manage_tokens


def _apply_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    field = next((f for f in details if f in form.fields), None)
    form.add_error(field, exc.message)


@login_required
def staff_home(request: StaffRequest) -> HttpResponse:
    """The day's work: each app's panels (`orgs.home`), under the role and department."""
    departments = selectors.department_list_for(request.user)
    panels = [
        render_to_string(panel.template, dict(panel.context), request=request)
        for panel in panels_for(request)
    ]
    return render(
        request,
        "orgs/staff_home.html",
        {"department_count": departments.count(), "panels": panels},
    )


@login_required
def department_list(request: StaffRequest) -> HttpResponse:
    form = None
    if request.user.is_credit_office:
        form = DepartmentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                department = services.department_create(
                    actor=request.user, request=request, **form.cleaned_data
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("已创建部门“%(name)s”") % {"name": department.name})
                return redirect("orgs:department_detail", short_code=department.short_code)
    elif request.method == "POST":
        return render(request, "orgs/forbidden.html", status=403)
    return render(
        request,
        "orgs/department_list.html",
        {"departments": selectors.department_list_for(request.user), "form": form},
    )


@login_required
def department_detail(request: StaffRequest, short_code: str) -> HttpResponse:
    department = selectors.department_get_for(request.user, short_code)
    user_form = UserForm(request.POST or None) if request.user.is_credit_office else None
    if request.method == "POST":
        if user_form is None:
            return render(request, "orgs/forbidden.html", status=403)
        if user_form.is_valid():
            try:
                user = services.user_create(
                    actor=request.user,
                    department=department,
                    request=request,
                    **user_form.cleaned_data,
                )
            except ApplicationError as exc:
                _apply_error(user_form, exc)
            else:
                messages.success(request, _("已创建用户“%(name)s”") % {"name": user.username})
                return redirect("orgs:department_detail", short_code=short_code)
    return render(
        request,
        "orgs/department_detail.html",
        {
            "department": department,
            "users": selectors.department_users(department),
            "tokens": selectors.department_tokens(department),
            "user_form": user_form,
            "token_form": TokenForm() if can_manage_tokens(request.user, department) else None,
        },
    )


@login_required
@require_POST
def token_create(request: StaffRequest, short_code: str) -> HttpResponse:
    department = selectors.department_get_for(request.user, short_code)
    form = TokenForm(request.POST)
    secret = None
    token = None
    if form.is_valid():
        try:
            token, secret = services.api_token_create(
                actor=request.user,
                department=department,
                name=form.cleaned_data["name"],
                expires_days=form.cleaned_data["expires_days"] or services.TOKEN_LIFETIME_DAYS,
                request=request,
            )
        except PermissionDeniedError:
            raise  # the error page, 403
        except ApplicationError as exc:
            _apply_error(form, exc)
    return render(
        request,
        "orgs/token_created.html",
        {"department": department, "secret": secret, "token": token, "form": form},
        status=200 if secret else 400,
    )


@login_required
@require_POST
def token_revoke(request: StaffRequest, short_code: str, token_id: int) -> HttpResponse:
    department = selectors.department_get_for(request.user, short_code)
    token = services.api_token_revoke(
        actor=request.user, department=department, token_id=token_id, request=request
    )
    messages.success(request, _("令牌 %(prefix)s… 已吊销") % {"prefix": token.prefix})
    return redirect("orgs:department_detail", short_code=short_code)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a Chinese page, 429."""
    cooloff = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "orgs/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(cooloff.total_seconds() // 60),
        },
        status=429,
    )
