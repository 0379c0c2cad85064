"""Staff pages of the catalog: parse, call a service or selector, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.catalog import selectors, services
from xinyong.catalog.forms import CodeListForm, FieldForm, ItemCreateForm, ItemSettingsForm
from xinyong.catalog.models import CatalogField, CatalogItem
from xinyong.catalog.permissions import can_edit_item, ensure_credit_office, ensure_item_edit
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
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "fields": selectors.item_fields(item),
            "versions": selectors.item_versions(item),
            "departments": item.departments.order_by("name"),
            "can_edit": can_edit_item(request.user, item),
        },
    )


@login_required
def item_edit(request: StaffRequest, code: str) -> HttpResponse:
    item = selectors.item_get_for(request.user, code)
    ensure_item_edit(request.user, item)
    credit_office = request.user.is_credit_office
    initial = {name: getattr(item, name) for name in services.ITEM_SETTINGS}
    initial["departments"] = list(item.departments.all())
    form = ItemSettingsForm(request.POST or None, initial=initial, credit_office=credit_office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in services.ITEM_SETTINGS if name in data}
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
    ensure_item_edit(request.user, item)
    form = FieldForm(request.POST or None, initial={"is_public": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
    ensure_item_edit(request.user, item)
    field = _field_of(item, key)
    initial = {name: getattr(field, name) for name in FieldForm.ATTRIBUTES}
    form = FieldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in FieldForm.ATTRIBUTES}
        if data["position"]:
            changes["position"] = data["position"]
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
    ensure_item_edit(request.user, item)
    field = _field_of(item, key)
    label = field.label
    try:
        services.catalog_field_remove(
            actor=request.user,
            field=field,
            note=request.POST.get("note", "")[:300],
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
