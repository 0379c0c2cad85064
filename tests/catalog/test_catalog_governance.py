"""Issue 12.1: who decides what is public. Shared items and a field's
disclosure or role are the credit office's; a department proposes such a
change as a change request; loosening needs a reason in the version history."""

import pytest

from xinyong.catalog import selectors, services
from xinyong.catalog.models import CatalogChangeRequest, CatalogField, CatalogItem
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _field(item: CatalogItem, key: str) -> CatalogField:
    return item.fields.select_related("item", "code_list").get(key=key)


@pytest.fixture
def shared_xzcf(xzcf, other_department) -> CatalogItem:
    """行政处罚 submitted by the clerk's department and the tax bureau."""
    xzcf.departments.add(other_department)
    return xzcf


# -- 1. only the credit office changes a shared item ---------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda item, clerk: services.catalog_item_update(
            actor=clerk, item=item, changes={"name": "行政处罚（改）"}
        ),
        lambda item, clerk: services.catalog_field_update(
            actor=clerk, field=_field(item, "remarks"), changes={"required": True}
        ),
        lambda item, clerk: services.catalog_field_update(
            actor=clerk, field=_field(item, "remarks"), changes={"label": "备注说明"}
        ),
        lambda item, clerk: services.catalog_field_add(
            actor=clerk, item=item, key="extra", label="附加", required=True
        ),
        lambda item, clerk: services.catalog_field_remove(
            actor=clerk, field=_field(item, "remarks")
        ),
        lambda item, clerk: services.catalog_item_publish(item=item, actor=clerk),
    ],
    ids=["rename", "required", "label", "add", "remove", "publish"],
)
def test_a_clerk_cannot_change_an_item_another_department_uses(shared_xzcf, clerk, change):
    with pytest.raises(PermissionDeniedError) as exc:
        change(shared_xzcf, clerk)
    assert exc.value.code == "shared_item"
    shared_xzcf.refresh_from_db()
    assert shared_xzcf.name == "行政处罚" and shared_xzcf.versions.count() == 1


def test_the_credit_office_changes_a_shared_item(shared_xzcf, admin_user):
    services.catalog_field_update(
        actor=admin_user, field=_field(shared_xzcf, "remarks"), changes={"required": True}
    )
    assert shared_xzcf.versions.count() == 2


def test_a_clerk_still_changes_an_item_only_its_department_uses(xzcf, clerk):
    services.catalog_field_update(
        actor=clerk, field=_field(xzcf, "remarks"), changes={"label": "备注说明"}
    )
    assert _field(xzcf, "remarks").label == "备注说明"


# -- 2. only the credit office changes a field's disclosure or role -------------


@pytest.mark.parametrize(
    "changes",
    [
        {"is_public": True},
        {"masking": ""},
        {"masking": "hidden"},  # even a tightening: the credit office decides
        {"role": ""},
    ],
)
def test_a_clerk_cannot_change_disclosure_or_role_of_its_own_item(xzcf, clerk, changes):
    key = "legal_rep_id_number" if "role" not in changes else "subject_name"
    with pytest.raises(PermissionDeniedError) as exc:
        services.catalog_field_update(actor=clerk, field=_field(xzcf, key), changes=changes)
    assert exc.value.code == "privacy_reserved"
    assert xzcf.versions.count() == 1


def test_a_clerk_adds_a_field_only_as_not_public_and_without_a_role(xzcf, clerk):
    for extra in ({"is_public": True}, {"role": "valid_to"}, {"masking": "phone"}):
        with pytest.raises(PermissionDeniedError):
            services.catalog_field_add(actor=clerk, item=xzcf, key="x", label="某项", **extra)
    field = services.catalog_field_add(actor=clerk, item=xzcf, key="x", label="某项")
    assert field.is_public is False and field.role == ""


def test_a_clerk_cannot_remove_a_field_with_a_role(xzcf, clerk):
    with pytest.raises(PermissionDeniedError):
        services.catalog_field_remove(actor=clerk, field=_field(xzcf, "subject_registration"))


# -- 5. loosening needs the credit office and a note -----------------------------


@pytest.mark.parametrize(
    ("key", "changes"),
    [
        ("legal_rep_id_number", {"is_public": True}),
        ("legal_rep_id_number", {"is_public": True, "masking": ""}),
        ("subject_name", {"role": ""}),
    ],
)
def test_loosening_needs_a_note_which_the_version_keeps(xzcf, admin_user, key, changes):
    with pytest.raises(ApplicationError) as exc:
        services.catalog_field_update(actor=admin_user, field=_field(xzcf, key), changes=changes)
    assert exc.value.code == "note_required" and "note" in exc.value.details
    assert xzcf.versions.count() == 1
    services.catalog_field_update(
        actor=admin_user, field=_field(xzcf, key), changes=changes, note="依据某通知公开"
    )
    xzcf.refresh_from_db()
    assert xzcf.current_version.note == "依据某通知公开"


def test_tightening_needs_no_note(xzcf, admin_user):
    services.catalog_field_update(
        actor=admin_user, field=_field(xzcf, "remarks"), changes={"masking": "hidden"}
    )
    assert xzcf.versions.count() == 2


def test_making_an_item_public_needs_a_note(admin_user, small_item):
    services.catalog_item_update(
        actor=admin_user, item=small_item, changes={"disclosure": "government"}
    )
    with pytest.raises(ApplicationError) as exc:
        services.catalog_item_update(
            actor=admin_user, item=small_item, changes={"disclosure": "public"}
        )
    assert exc.value.code == "invalid" and "note" in exc.value.details
    small_item.refresh_from_db()
    assert small_item.disclosure == "government"
    services.catalog_item_update(
        actor=admin_user, item=small_item, changes={"disclosure": "public"}, note="按目录公开"
    )
    small_item.refresh_from_db()
    assert small_item.current_version.note == "按目录公开"


# -- 3. change requests ---------------------------------------------------------


def _actions(start: int) -> list[str]:
    return list(
        AuditLog.objects.filter(id__gt=start).order_by("id").values_list("action", flat=True)
    )


def _last_audit() -> int:
    return AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_department_proposes_and_the_credit_office_approves(shared_xzcf, clerk, admin_user):
    start = _last_audit()
    field = _field(shared_xzcf, "legal_rep_id_number")
    assert services.catalog_change_needs_credit_office(
        actor=clerk,
        item=shared_xzcf,
        action="field_update",
        field=field,
        changes={"masking": "hidden", "label": "法定代表人证件号码"},
    )
    with pytest.raises(ApplicationError):
        services.catalog_change_request_submit(
            actor=clerk,
            item=shared_xzcf,
            action="field_update",
            field_key=field.key,
            changes={"masking": "hidden"},
            reason="  ",
        )
    request = services.catalog_change_request_submit(
        actor=clerk,
        item=shared_xzcf,
        action="field_update",
        field_key=field.key,
        changes={"masking": "hidden", "label": "法定代表人证件号码"},  # label unchanged
        reason="证件号码不应展示",
    )
    assert request.status == CatalogChangeRequest.Status.PENDING
    assert request.get_status_display() == "待审核"
    assert request.changes == {"masking": "hidden"}
    assert request.department == clerk.department and request.requested_by == clerk
    assert shared_xzcf.versions.count() == 1  # nothing changed yet

    with pytest.raises(PermissionDeniedError):
        services.catalog_change_request_approve(actor=clerk, change_request=request, note="好")
    with pytest.raises(ApplicationError):
        services.catalog_change_request_approve(actor=admin_user, change_request=request, note="")
    approved = services.catalog_change_request_approve(
        actor=admin_user, change_request=request, note="同意"
    )
    assert approved.get_status_display() == "已批准"
    assert approved.decided_by == admin_user and approved.decision_note == "同意"
    shared_xzcf.refresh_from_db()
    assert approved.version == shared_xzcf.current_version and approved.version.number == 2
    assert "同意" in approved.version.note
    assert _field(shared_xzcf, "legal_rep_id_number").masking == "hidden"
    with pytest.raises(ApplicationError) as exc:
        services.catalog_change_request_refuse(
            actor=admin_user, change_request=approved, note="晚了"
        )
    assert exc.value.code == "not_pending"
    assert _actions(start) == [
        "catalog_change_request.submit",
        "catalog_field.update",
        "catalog_item.publish",
        "catalog_change_request.approve",
    ]


def test_a_loosening_request_approved_keeps_the_reason_in_the_version(xzcf, clerk, admin_user):
    request = services.catalog_change_request_submit(
        actor=clerk,
        item=xzcf,
        action="field_update",
        field_key="legal_rep_id_number",
        changes={"is_public": True},
        reason="公开法定代表人证件号码（已遮蔽）",
    )
    services.catalog_change_request_approve(
        actor=admin_user, change_request=request, note="依据某文件同意公开遮蔽后的号码"
    )
    xzcf.refresh_from_db()
    assert xzcf.current_version.note.startswith("依据某文件同意公开遮蔽后的号码")


def test_the_credit_office_refuses_with_a_reason(shared_xzcf, clerk, admin_user):
    start = _last_audit()
    request = services.catalog_change_request_submit(
        actor=clerk,
        item=shared_xzcf,
        action="item_update",
        changes={"name": "行政处罚信息"},
        reason="改名",
    )
    with pytest.raises(ApplicationError):
        services.catalog_change_request_refuse(actor=admin_user, change_request=request, note="")
    refused = services.catalog_change_request_refuse(
        actor=admin_user, change_request=request, note="名称按国家标准"
    )
    assert refused.get_status_display() == "已驳回" and refused.version is None
    shared_xzcf.refresh_from_db()
    assert shared_xzcf.name == "行政处罚" and shared_xzcf.versions.count() == 1
    assert _actions(start) == ["catalog_change_request.submit", "catalog_change_request.refuse"]


def test_add_and_remove_requests_apply_through_the_services(shared_xzcf, clerk, admin_user):
    add = services.catalog_change_request_submit(
        actor=clerk,
        item=shared_xzcf,
        action="field_add",
        changes={"key": "inspection_no", "label": "检查编号", "required": False},
        reason="新增检查编号",
    )
    remove = services.catalog_change_request_submit(
        actor=clerk,
        item=shared_xzcf,
        action="field_remove",
        field_key="remarks",
        changes={},
        reason="不再需要备注",
    )
    services.catalog_change_request_approve(actor=admin_user, change_request=add, note="同意")
    services.catalog_change_request_approve(actor=admin_user, change_request=remove, note="同意")
    keys = set(shared_xzcf.fields.values_list("key", flat=True))
    assert "inspection_no" in keys and "remarks" not in keys
    assert shared_xzcf.versions.count() == 3


def test_who_sees_change_requests(shared_xzcf, clerk, other_clerk, admin_user):
    request = services.catalog_change_request_submit(
        actor=clerk,
        item=shared_xzcf,
        action="item_update",
        changes={"name": "行政处罚信息"},
        reason="改名",
    )
    assert list(selectors.change_request_list_for(clerk)) == [request]
    assert list(selectors.change_request_list_for(admin_user)) == [request]
    assert list(selectors.change_request_list_for(other_clerk)) == []
    with pytest.raises(NotFoundError):
        selectors.change_request_get_for(other_clerk, request.pk)


# -- the pages --------------------------------------------------------------------


def test_pages_file_list_and_decide_a_change_request(client_as, shared_xzcf, clerk, admin_user):
    client = client_as(clerk)
    item_page = client.get("/staff/catalog/XZCF/").content.decode()
    assert "/staff/catalog/change-requests/" in item_page
    # The field edit page of a shared item files a request (its note is the reason).
    field = _field(shared_xzcf, "legal_rep_id_number")
    data = {
        "key": field.key,
        "label": field.label,
        "type": field.type,
        "role": field.role,
        "max_length": field.max_length or "",
        "masking": "hidden",
        "note": "",
    }
    response = client.post("/staff/catalog/XZCF/fields/legal_rep_id_number/", data)
    assert response.status_code == 200 and "申请理由" in response.content.decode()
    response = client.post(
        "/staff/catalog/XZCF/fields/legal_rep_id_number/", {**data, "note": "不应展示"}
    )
    assert response.status_code == 302
    request = CatalogChangeRequest.objects.get()
    assert response["Location"] == f"/staff/catalog/change-requests/{request.pk}/"
    assert request.changes == {"masking": "hidden"} and request.reason == "不应展示"
    assert shared_xzcf.versions.count() == 1
    listing = client.get("/staff/catalog/change-requests/").content.decode()
    assert "待审核" in listing and "不应展示" in listing
    # The department cannot decide.
    detail = client.get(f"/staff/catalog/change-requests/{request.pk}/")
    assert detail.status_code == 200 and "提交审核结果" not in detail.content.decode()
    assert (
        client.post(
            f"/staff/catalog/change-requests/{request.pk}/",
            {"decision": "approve", "note": "自己批"},
        ).status_code
        == 403
    )
    # The credit office does.
    admin = client_as(admin_user)
    page = admin.get(f"/staff/catalog/change-requests/{request.pk}/").content.decode()
    assert "提交审核结果" in page and "遮蔽" in page and "不显示" in page and "不应展示" in page
    assert "当前值" in page
    response = admin.post(
        f"/staff/catalog/change-requests/{request.pk}/", {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and _field(shared_xzcf, field.key).masking == "hidden"


def test_another_department_does_not_see_the_request_page(
    client_as, shared_xzcf, clerk, other_department
):
    from orgs.factories import ClerkFactory

    request = services.catalog_change_request_submit(
        actor=clerk, item=shared_xzcf, action="item_update", changes={"name": "新"}, reason="改"
    )
    stranger = ClerkFactory(username="stranger")
    assert (
        client_as(stranger).get(f"/staff/catalog/change-requests/{request.pk}/").status_code == 404
    )
