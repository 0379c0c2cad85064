"""Staff pages of 专项治理 (/staff/oversight/campaigns/): the list, one
campaign with its rates and targets, and the forms that change them."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.models import Department
from xinyong.oversight.campaigns import selectors, services
from xinyong.oversight.campaigns.forms import (
    CampaignForm,
    CommitmentForm,
    ExitForm,
    RectifyForm,
    TargetForm,
    UploadForm,
)
from xinyong.oversight.campaigns.upload import campaign_targets_upload
from xinyong.oversight.models import Campaign, CampaignTarget


def _campaign(request: StaffRequest, pk: int) -> Campaign:
    campaign = Campaign.objects.select_related("lead_department").filter(pk=pk).first()
    if campaign is None:
        raise NotFoundError("not_found", _("未找到该专项治理，或您无权访问"))
    services.ensure_campaign_access(request.user, campaign)
    return campaign


@login_required
def campaign_list(request: StaffRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            lead = Department.objects.filter(short_code=data["lead_department"]).first()
            try:
                if lead is None:
                    raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))
                made = services.campaign_create(
                    actor=request.user,
                    name=data["name"],
                    basis=data["basis"],
                    lead_department=lead,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("oversight:campaign", pk=made.pk)
    rows = [(c, selectors.campaign_rates(c)) for c in selectors.campaigns_for(request.user)]
    return render(
        request, "oversight/campaign_list.html", {"rows": rows, "form": form}, status=status
    )


def _detail(
    request: StaffRequest, campaign: Campaign, *, status: int = 200, **extra: object
) -> HttpResponse:
    context: dict[str, object] = {
        "campaign": campaign,
        "rates": selectors.campaign_rates(campaign),
        "targets": CampaignTarget.objects.filter(campaign=campaign).select_related("commitment"),
        "target_form": TargetForm(),
        "upload_form": UploadForm(),
        "rectify_form": RectifyForm(),
        "exit_form": ExitForm(),
        "row_errors": [],
        **extra,
    }
    return render(request, "oversight/campaign_detail.html", context, status=status)


@login_required
def campaign_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, _campaign(request, pk))


@require_POST
@login_required
def campaign_add(request: StaffRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_target_add(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已列入治理对象"))
            return redirect("oversight:campaign", pk=pk)
    return _detail(request, campaign, status=400, target_form=form)


@require_POST
@login_required
def campaign_upload(request: StaffRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = UploadForm(request.POST, request.FILES)
    row_errors: list[object] = []
    if form.is_valid():
        with tempfile.TemporaryDirectory(prefix="xinyong-campaign-") as tmp:
            path = Path(tmp) / "targets"
            with open(path, "wb") as handle:
                for chunk in form.cleaned_data["file"].chunks():
                    handle.write(chunk)
            try:
                added = campaign_targets_upload(actor=request.user, campaign=campaign, path=path)
            except ApplicationError as exc:
                form.add_error("file", exc.message)
                if isinstance(exc.details, dict):
                    row_errors = list(exc.details.get("rows", []))
            else:
                messages.success(request, _("已导入 %(n)d 个治理对象") % {"n": added})
                return redirect("oversight:campaign", pk=pk)
    return _detail(request, campaign, status=400, upload_form=form, row_errors=row_errors)


@require_POST
@login_required
def target_action(request: StaffRequest, pk: int, target_id: int, action: str) -> HttpResponse:
    """rectify / exit / commitment, on one target of the campaign."""
    campaign = _campaign(request, pk)
    target = CampaignTarget.objects.filter(campaign=campaign, pk=target_id).first()
    if target is None or action not in ("rectify", "exit", "commitment"):
        raise NotFoundError("not_found", _("未找到该治理对象"))
    try:
        if action == "rectify":
            rectify = RectifyForm(request.POST)
            if not rectify.is_valid():
                raise ApplicationError("invalid", _("请选择整改状态并填写有效日期"))
            services.target_rectify(actor=request.user, target=target, **rectify.cleaned_data)
        elif action == "exit":
            leave = ExitForm(request.POST)
            if not leave.is_valid():
                raise ApplicationError("invalid", _("请填写有效的退出日期"))
            services.target_exit(actor=request.user, target=target, on=leave.cleaned_data["on"])
        else:
            commit = CommitmentForm(request.POST)
            commit.is_valid()
            services.target_commitment_set(
                actor=request.user,
                target=target,
                committed=bool(commit.cleaned_data.get("committed")),
            )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, f"{target.name}：{exc.message}")
        return _detail(request, campaign, status=exc.status)
    messages.success(request, _("已更新 %(n)s") % {"n": target.name})
    return redirect("oversight:campaign", pk=pk)
