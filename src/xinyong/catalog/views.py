"""Staff pages of the catalog: parse, call a service or selector, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.catalog import selectors, services
from xinyong.catalog.forms import (
    ChangeRequestDecisionForm,
    CodeListForm,
    FieldForm,
    ItemCreateForm,
    ItemSettingsForm,
)
from xinyong.catalog.models import CatalogChangeRequest, CatalogField, CatalogItem
from xinyong.catalog.permissions import (
    can_edit_item,
    can_propose_item,
    ensure_credit_office,
    ensure_item_propose,
)
from xinyong.catalog.schema import field_attribute_labels, item_attribute_labels
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.http import StaffRequest


def _apply_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for name, problems in details.items():
        if name in form.fields:
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(name, str(problem))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _propose(
    request: StaffRequest,
    form: forms.BaseForm,
    *,
    item: CatalogItem,
    action: str,
    changes: dict[str, object],
    field: CatalogField | None = None,
) -> HttpResponse | None:
    """If the change is the credit office's, file it as a change request
    (the form's note is its reason) and answer with a redirect to it; else
    None, and the caller makes the change itself."""
    if not services.catalog_change_needs_credit_office(
        actor=request.user, item=item, action=action, field=field, changes=changes
    ):
        return None
    try:
        change_request = services.catalog_change_request_submit(
            actor=request.user,
            item=item,
            action=action,
            field_key=field.key if field is not None else "",
            changes=changes,
            reason=str(form.cleaned_data.get("note") or ""),
            request=request,
        )
    except ApplicationError as exc:
        if exc.code == "invalid":
            form.add_error("note", _("此项变更须由信用办审核，请在“变更说明”中填写申请理由"))
        else:
            _apply_error(form, exc)
        return None
    messages.success(
        request,
        _("此项变更须由信用办审核，已提交变更申请 #%(pk)s") % {"pk": change_request.pk},
    )
    return redirect("catalog:change_request_detail", pk=change_request.pk)


def _field_of(item: CatalogItem, key: str) -> CatalogField:
    field = item.fields.select_related("code_list", "item").filter(key=key).first()
    if field is None:
        raise NotFoundError(
            "not_found", _("目录事项“%(item)s”没有字段“%(key)s”") % {"item": item.name, "key": key}
        )
    return field


@login_required
def item_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "catalog/item_list.html",
        {"items": selectors.item_list_for(request.user)},
    )


@login_required
def item_create(request: StaffRequest) -> HttpResponse:
    ensure_credit_office(request.user)
    form = ItemCreateForm(request.POST or None, initial={"submit_within": 7, "submit_unit": "days"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note")
        try:
            item = services.catalog_item_create(
                actor=request.user, note=note, request=request, **data
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, _("已创建目录事项“%(name)s”，请添加字段") % {"name": item.name}
            )
            return redirect("catalog:field_add", code=item.code)
    return render(request, "catalog/item_form.html", {"form": form, "item": None})


@login_required
def item_detail(request: StaffRequest, code: str) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    can_edit = can_edit_item(request.user, item)
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "fields": selectors.item_fields(item),
            "versions": selectors.item_versions(item),
            "departments": item.departments.order_by("name"),
            "can_edit": can_edit,
            "can_propose": can_edit or can_propose_item(request.user, item),
            "change_requests": selectors.change_request_list_for(request.user, item=item)[:20],
        },
    )


@login_required
def item_edit(request: StaffRequest, code: str) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    ensure_item_propose(request.user, item)
    credit_office = request.user.is_credit_office
    initial = {name: getattr(item, name) for name in services.ITEM_SETTINGS}
    initial["departments"] = list(item.departments.all())
    form = ItemSettingsForm(request.POST or None, initial=initial, credit_office=credit_office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in services.ITEM_SETTINGS if name in data}
        proposed = _propose(
            request,
            form,
            item=item,
            action=CatalogChangeRequest.Action.ITEM_UPDATE,
            changes=changes,
        )
        if proposed is not None:
            return proposed
        if form.errors:
            return render(request, "catalog/item_form.html", {"form": form, "item": item})
        try:
            services.catalog_item_update(
                actor=request.user, item=item, changes=changes, note=data["note"], request=request
            )
            if credit_office:
                services.catalog_item_set_departments(
                    actor=request.user, item=item, departments=data["departments"], request=request
                )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("已保存事项设置"))
            return redirect("catalog:item_detail", code=item.code)
    return render(request, "catalog/item_form.html", {"form": form, "item": item})


@login_required
def field_add(request: StaffRequest, code: str) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    ensure_item_propose(request.user, item)
    form = FieldForm(request.POST or None, initial={"is_public": False})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in FieldForm.ATTRIBUTES}
        if data["position"]:
            changes["position"] = data["position"]
        proposed = _propose(
            request, form, item=item, action=CatalogChangeRequest.Action.FIELD_ADD, changes=changes
        )
        if proposed is not None:
            return proposed
        if form.errors:
            return render(
                request, "catalog/field_form.html", {"form": form, "item": item, "field": None}
            )
        try:
            field = services.catalog_field_add(
                actor=request.user,
                item=item,
                position=data["position"],
                note=data["note"],
                request=request,
                **{name: data[name] for name in FieldForm.ATTRIBUTES},
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("已新增字段“%(label)s”") % {"label": field.label})
            return redirect("catalog:item_detail", code=item.code)
    return render(request, "catalog/field_form.html", {"form": form, "item": item, "field": None})


@login_required
def field_edit(request: StaffRequest, code: str, key: str) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    ensure_item_propose(request.user, item)
    field = _field_of(item, key)
    initial = {name: getattr(field, name) for name in FieldForm.ATTRIBUTES}
    form = FieldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in FieldForm.ATTRIBUTES}
        if data["position"]:
            changes["position"] = data["position"]
        proposed = _propose(
            request,
            form,
            item=item,
            action=CatalogChangeRequest.Action.FIELD_UPDATE,
            changes=changes,
            field=field,
        )
        if proposed is not None:
            return proposed
        if form.errors:
            return render(
                request, "catalog/field_form.html", {"form": form, "item": item, "field": field}
            )
        try:
            field = services.catalog_field_update(
                actor=request.user, field=field, changes=changes, note=data["note"], request=request
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("已保存字段“%(label)s”") % {"label": field.label})
            return redirect("catalog:item_detail", code=item.code)
    return render(request, "catalog/field_form.html", {"form": form, "item": item, "field": field})


@login_required
@require_POST
def field_remove(request: StaffRequest, code: str, key: str) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    ensure_item_propose(request.user, item)
    field = _field_of(item, key)
    label = field.label
    note = request.POST.get("note", "")[:300]
    if services.catalog_change_needs_credit_office(
        actor=request.user,
        item=item,
        action=CatalogChangeRequest.Action.FIELD_REMOVE,
        field=field,
        changes={},
    ):
        try:
            change_request = services.catalog_change_request_submit(
                actor=request.user,
                item=item,
                action=CatalogChangeRequest.Action.FIELD_REMOVE,
                field_key=field.key,
                changes={},
                reason=note,
                request=request,
            )
        except ApplicationError:
            messages.error(request, _("此项变更须由信用办审核，请填写删除原因作为申请理由"))
            return redirect("catalog:field_edit", code=item.code, key=key)
        messages.success(
            request,
            _("此项变更须由信用办审核，已提交变更申请 #%(pk)s") % {"pk": change_request.pk},
        )
        return redirect("catalog:change_request_detail", pk=change_request.pk)
    try:
        services.catalog_field_remove(
            actor=request.user,
            field=field,
            note=note,
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:field_edit", code=item.code, key=key)
    messages.success(request, _("已删除字段“%(label)s”") % {"label": label})
    return redirect("catalog:item_detail", code=item.code)


@login_required
def version_detail(request: StaffRequest, code: str, number: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    version = selectors.version_get(item, number)
    return render(
        request,
        "catalog/version_detail.html",
        {"item": item, "version": version, "schema": selectors.version_schema(version)},
    )


@login_required
def version_diff(request: StaffRequest, code: str, number: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    version = selectors.version_get(item, number)
    changes = selectors.version_diff(version)
    return render(
        request,
        "catalog/version_diff.html",
        {
            "item": item,
            "version": version,
            "changes": changes,
            "item_changes": [c for c in changes if c["change"] == "item"],
            "added": [c for c in changes if c["change"] == "field_added"],
            "removed": [c for c in changes if c["change"] == "field_removed"],
            "changed": [c for c in changes if c["change"] == "field_changed"],
            "order": next((c for c in changes if c["change"] == "order"), None),
        },
    )


@login_required
def code_list_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "catalog/code_list_list.html",
        {"code_lists": selectors.code_list_list()},
    )


@login_required
def code_list_edit(request: StaffRequest, code: str) -> HttpResponse:
    ensure_credit_office(request.user)
    code_list = selectors.code_list_get(code)
    initial = {name: getattr(code_list, name) for name in services.CODE_LIST_SETTINGS}
    form = CodeListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            versions = services.code_list_update(
                actor=request.user,
                code_list=code_list,
                changes={name: data[name] for name in services.CODE_LIST_SETTINGS},
                note=data["note"],
                request=request,
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request,
                _("已保存代码表“%(name)s”，%(n)d 个目录事项发布了新版本")
                % {"name": code_list.name, "n": len(versions)},
            )
            return redirect("catalog:code_list_list")
    return render(
        request,
        "catalog/code_list_form.html",
        {"form": form, "code_list": code_list, "items": selectors.code_list_items(code_list)},
    )


def _current_values(change_request: CatalogChangeRequest) -> dict[str, object]:
    """What the item or field has now, for the settings a request changes."""
    names = list(change_request.changes)
    if change_request.action == CatalogChangeRequest.Action.ITEM_UPDATE:
        return {name: getattr(change_request.item, name, None) for name in names}
    if change_request.action != CatalogChangeRequest.Action.FIELD_UPDATE:
        return {}
    field = (
        change_request.item.fields.select_related("code_list")
        .filter(key=change_request.field_key)
        .first()
    )
    if field is None:
        return {}
    values: dict[str, object] = {name: getattr(field, name, None) for name in names}
    if "code_list" in values:
        values["code_list"] = field.code_list.code if field.code_list is not None else None
    if "position" in values:
        values["position"] = field.order
    return values


@login_required
def change_request_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    if status not in CatalogChangeRequest.Status.values:
        status = ""
    return render(
        request,
        "catalog/change_request_list.html",
        {
            "change_requests": selectors.change_request_list_for(
                request.user, status=status or None
            )[:200],
            "status": status,
            "statuses": CatalogChangeRequest.Status.choices,
        },
    )


@login_required
def change_request_detail(request: StaffRequest, pk: int) -> HttpResponse:
    change_request = selectors.change_request_get_for(request.user, pk)
    labels = {
        **item_attribute_labels(),
        **field_attribute_labels(),
        "code_list": _("代码表"),
        "is_active": _("启用"),
        "position": _("位置"),
    }
    current = _current_values(change_request)
    form = ChangeRequestDecisionForm(request.POST or None)
    if request.method == "POST":
        ensure_credit_office(request.user)
        if form.is_valid():
            decide = (
                services.catalog_change_request_approve
                if form.cleaned_data["decision"] == "approve"
                else services.catalog_change_request_refuse
            )
            try:
                change_request = decide(
                    actor=request.user,
                    change_request=change_request,
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("变更申请 #%(pk)s：%(status)s")
                    % {"pk": change_request.pk, "status": change_request.get_status_display()},
                )
                return redirect(reverse("catalog:change_request_detail", args=[change_request.pk]))
    return render(
        request,
        "catalog/change_request_detail.html",
        {
            "cr": change_request,
            "changes": [
                (labels.get(name, name), name, current.get(name), value)
                for name, value in sorted(change_request.changes.items())
            ],
            "form": form,
            "can_decide": request.user.is_credit_office
            and change_request.status == CatalogChangeRequest.Status.PENDING,
        },
    )
