"""Change requests: a department proposes a change it may not make itself
(to an item other departments submit too, or to a field's disclosure or
role); the credit office approves it, which applies the change through the
catalog's own services (a new version), or refuses it. Each transition is
audited; approving and refusing each need a reason."""

import copy
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.audit_actions import (
    CHANGE_REQUEST_APPROVE,
    CHANGE_REQUEST_REFUSE,
    CHANGE_REQUEST_SUBMIT,
)
from xinyong.catalog.models import CatalogChangeRequest, CatalogField, CatalogItem, CodeList
from xinyong.catalog.permissions import (
    PRIVACY_ATTRIBUTES,
    can_edit_item,
    ensure_credit_office,
    ensure_item_propose,
)
from xinyong.catalog.services.common import invalid, user_of
from xinyong.catalog.services.fields import (
    FIELD_SETTINGS,
    catalog_field_add,
    catalog_field_remove,
    catalog_field_update,
    prepare_field,
)
from xinyong.catalog.services.items import (
    CREDIT_OFFICE_SETTINGS,
    ITEM_SETTINGS,
    catalog_item_update,
)
from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.columns import max_length
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.models import User

Action = CatalogChangeRequest.Action
_REASON_MAX = max_length(CatalogChangeRequest, "reason")


def _json_value(value: object) -> object:
    if isinstance(value, CodeList):
        return value.code
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _field_value(field: CatalogField, name: str) -> object:
    if name == "code_list":
        return field.code_list.code if field.code_list is not None else None
    return getattr(field, name)


def _effective_changes(
    *, item: CatalogItem, action: str, field: CatalogField | None, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The proposed values that differ from what the item or field has now,
    as JSON (a whole new field for `field_add`; nothing for `field_remove`)."""
    if action == Action.FIELD_REMOVE:
        return {}
    if action == Action.FIELD_ADD:
        return {name: _json_value(value) for name, value in changes.items()}
    if action == Action.ITEM_UPDATE:
        unknown = set(changes) - set(ITEM_SETTINGS)
        if unknown:
            raise ValueError(f"unknown item settings: {sorted(unknown)}")
        return {
            name: _json_value(value)
            for name, value in changes.items()
            if getattr(item, name) != value
        }
    if field is None:
        raise ValueError("a field update needs its field")
    unknown = set(changes) - {*FIELD_SETTINGS, "position"}
    if unknown:
        raise ValueError(f"unknown field attributes: {sorted(unknown)}")
    proposed = copy.copy(field)
    prepare_field(proposed, {k: v for k, v in changes.items() if k != "position"})
    out = {
        name: _json_value(_field_value(proposed, name))
        for name in FIELD_SETTINGS
        if name in changes and _field_value(proposed, name) != _field_value(field, name)
    }
    if changes.get("position") and int(changes["position"]) != field.order:
        out["position"] = int(changes["position"])
    return out


def _touches_privacy(action: str, field: CatalogField | None, changes: Mapping[str, Any]) -> bool:
    if action == Action.FIELD_REMOVE:
        return bool(field is not None and field.role)
    if action == Action.FIELD_ADD:
        return any(changes.get(name) for name in PRIVACY_ATTRIBUTES)
    if action == Action.FIELD_UPDATE:
        return bool(set(changes) & PRIVACY_ATTRIBUTES)
    return bool(set(changes) & CREDIT_OFFICE_SETTINGS)


def catalog_change_needs_credit_office(
    *,
    actor: User,
    item: CatalogItem,
    action: str,
    changes: Mapping[str, Any],
    field: CatalogField | None = None,
) -> bool:
    """Whether this change is the credit office's, so that a department
    files it as a change request instead of making it."""
    if actor.is_credit_office:
        return False
    if not can_edit_item(actor, item):
        return True
    effective = _effective_changes(item=item, action=action, field=field, changes=changes)
    return _touches_privacy(action, field, effective)


def _field_of(item: CatalogItem, key: str) -> CatalogField:
    field = item.fields.select_related("code_list", "item").filter(key=key).first()
    if field is None:
        raise NotFoundError(
            "not_found", _("目录事项“%(item)s”没有字段“%(key)s”") % {"item": item.name, "key": key}
        )
    return field


def _required_text(value: str, name: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid({name: message})
    return text[:_REASON_MAX]


@transaction.atomic
def catalog_change_request_submit(
    *,
    actor: User,
    item: CatalogItem,
    action: str,
    changes: Mapping[str, Any],
    reason: str,
    field_key: str = "",
    request: HttpRequest | None = None,
) -> CatalogChangeRequest:
    """File a proposed change of an item for the credit office to decide.

    `action` is one of `CatalogChangeRequest.Action`; `changes` the new
    values by name (item settings, or field attributes and `position`);
    `field_key` the field for an update or a removal."""
    ensure_item_propose(actor, item)
    if action not in Action.values:
        raise ValueError(f"unknown change request action: {action}")
    text = _required_text(reason, "reason", _("请填写申请理由"))
    field = (
        _field_of(item, field_key) if action in (Action.FIELD_UPDATE, Action.FIELD_REMOVE) else None
    )
    effective = _effective_changes(item=item, action=action, field=field, changes=changes)
    if action != Action.FIELD_REMOVE and not effective:
        raise ApplicationError("no_change", _("没有要变更的内容"))
    change_request = CatalogChangeRequest.objects.create(
        item=item,
        action=action,
        field_key=field.key if field is not None else "",
        changes=effective,
        reason=text,
        department=actor.department,
        requested_by=user_of(actor),
        requested_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action=CHANGE_REQUEST_SUBMIT,
        obj=change_request,
        after={
            "item": item.code,
            "action": action,
            "field": change_request.field_key,
            "changes": effective,
        },
        reason=text,
        request=request,
    )
    return change_request


def _ensure_pending(change_request: CatalogChangeRequest) -> None:
    if change_request.status != CatalogChangeRequest.Status.PENDING:
        raise ApplicationError(
            "not_pending",
            _("该变更申请已处理（%(status)s）") % {"status": change_request.get_status_display()},
        )


def _locked(change_request: CatalogChangeRequest) -> CatalogChangeRequest:
    return (
        CatalogChangeRequest.objects.select_for_update()
        .select_related("item")
        .get(pk=change_request.pk)
    )


@transaction.atomic
def catalog_change_request_approve(
    *,
    actor: User,
    change_request: CatalogChangeRequest,
    note: str,
    request: HttpRequest | None = None,
) -> CatalogChangeRequest:
    """Apply the proposed change as the credit office (a new version whose
    note is the decision's reason) and mark the request approved."""
    ensure_credit_office(actor)
    change_request = _locked(change_request)
    _ensure_pending(change_request)
    text = _required_text(note, "note", _("请填写审核意见"))
    item = change_request.item
    before = item.current_version_id
    version_note = _("%(note)s（变更申请 #%(pk)s）") % {"note": text, "pk": change_request.pk}
    changes = dict(change_request.changes)
    if change_request.action == Action.ITEM_UPDATE:
        catalog_item_update(
            actor=actor, item=item, changes=changes, note=version_note, request=request
        )
    elif change_request.action == Action.FIELD_ADD:
        catalog_field_add(actor=actor, item=item, note=version_note, request=request, **changes)
    elif change_request.action == Action.FIELD_UPDATE:
        catalog_field_update(
            actor=actor,
            field=_field_of(item, change_request.field_key),
            changes=changes,
            note=version_note,
            request=request,
        )
    else:
        catalog_field_remove(
            actor=actor,
            field=_field_of(item, change_request.field_key),
            note=version_note,
            request=request,
        )
    item.refresh_from_db(fields=["current_version"])
    change_request.status = CatalogChangeRequest.Status.APPROVED
    change_request.decided_by = user_of(actor)
    change_request.decided_at = clock.now()
    change_request.decision_note = text
    change_request.version_id = (
        item.current_version_id if item.current_version_id != before else None
    )
    change_request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "version"]
    )
    audit_record(
        actor=actor,
        action=CHANGE_REQUEST_APPROVE,
        obj=change_request,
        before={"status": CatalogChangeRequest.Status.PENDING},
        after={
            "status": change_request.status,
            "version": change_request.version.number if change_request.version else None,
        },
        reason=text,
        request=request,
    )
    return change_request


@transaction.atomic
def catalog_change_request_refuse(
    *,
    actor: User,
    change_request: CatalogChangeRequest,
    note: str,
    request: HttpRequest | None = None,
) -> CatalogChangeRequest:
    """Refuse the proposed change, with the reason; the catalog is unchanged."""
    ensure_credit_office(actor)
    change_request = _locked(change_request)
    _ensure_pending(change_request)
    text = _required_text(note, "note", _("请填写驳回理由"))
    change_request.status = CatalogChangeRequest.Status.REFUSED
    change_request.decided_by = user_of(actor)
    change_request.decided_at = clock.now()
    change_request.decision_note = text
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action=CHANGE_REQUEST_REFUSE,
        obj=change_request,
        before={"status": CatalogChangeRequest.Status.PENDING},
        after={"status": change_request.status},
        reason=text,
        request=request,
    )
    return change_request
