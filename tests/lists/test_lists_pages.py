"""The staff pages under /staff/lists/: the procedure as a clerk does it, the
documents (事先告知书, 决定书 with 信用修复告知书) and least privilege."""

import datetime as dt

import pytest
from django.urls import reverse

from lists.factories import ListEntryFactory
from records.factories import PenaltyRecordFactory
from xinyong.core.models import AuditLog
from xinyong.lists.models import ListEntry, ListType

pytestmark = pytest.mark.django_db
S = ListEntry.Status


def _act(client, entry, action, **data):
    return client.post(reverse("lists:act", args=[entry.pk, action]), data)


def test_a_clerk_runs_the_procedure_from_the_pages(
    clerk, client_as, list_type, subject, department, pin_today
):
    client = client_as(clerk)
    pin_today("2025-09-30")
    penalty = PenaltyRecordFactory(subject=subject, department=department)
    page = client.get(reverse("lists:propose") + f"?subject={subject.uscc}")
    assert page.status_code == 200
    assert penalty.doc_number in page.content.decode()  # offered as evidence
    response = client.post(
        reverse("lists:propose"),
        {
            "list_type": list_type.pk,
            "subject": subject.uscc,
            "reasons": "两年内三次较重行政处罚",
            "evidence": [str(penalty.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()
    entry = ListEntry.objects.get()
    assert list(entry.evidence.all()) == [penalty]

    assert _act(client, entry, "notify", notice_number="神市监告〔2025〕7号").status_code == 302
    notice = client.get(reverse("lists:notice", args=[entry.pk])).content.decode()
    assert "神市监告〔2025〕7号" in notice and "两年内三次较重行政处罚" in notice
    assert "5 个工作日" in notice and "2025年10月14日" in notice  # across National Day
    assert list_type.legal_basis in notice
    printable = client.get(reverse("lists:notice", args=[entry.pk]) + "?print=1").content.decode()
    assert "@media print" in printable and "工作台导航" not in printable

    pin_today("2025-10-14")
    refused = _act(client, entry, "decide", document_number="神市监决〔2025〕9号")
    assert refused.status_code == 400
    assert "陈述申辩期至 2025-10-14 届满" in refused.content.decode()
    pin_today("2025-10-15")
    assert _act(client, entry, "decide", document_number="神市监决〔2025〕9号").status_code == 302
    decision = client.get(reverse("lists:decision", args=[entry.pk])).content.decode()
    for part in ("事由", "依据", "惩戒措施", "移出条件和程序", "救济途径", "信用修复告知书"):
        assert part in decision
    assert "神市监决〔2025〕9号" in decision and "2028年10月14日" in decision
    assert _act(client, entry, "publish").status_code == 302
    entry.refresh_from_db()
    assert entry.status == S.DECIDED and entry.published_on == dt.date(2025, 10, 15)
    listing = client.get(reverse("lists:entry_list")).content.decode()
    assert subject.name in listing
    assert AuditLog.objects.filter(object_type="lists.ListEntry").count() == 4


def test_bad_input_is_named(clerk, client_as, list_type, subject):
    client = client_as(clerk)
    response = client.post(
        reverse("lists:propose"),
        {"list_type": list_type.pk, "subject": "91350200776049653A", "reasons": "x"},
    )
    assert response.status_code == 400
    assert "平台中没有该统一社会信用代码或编号的主体" in response.content.decode()
    entry = ListEntryFactory(
        decided_by=list_type.deciders.get(),
        status=S.PROPOSED,
        notified_on=None,
        objection_until=None,
    )
    response = _act(client, entry, "withdraw", reason="")
    assert response.status_code == 400
    assert "原因" in response.content.decode()
    assert client.post(reverse("lists:act", args=[entry.pk, "nonsense"])).status_code == 404


def test_another_department_gets_404(other_clerk, client_as, department):
    entry = ListEntryFactory(decided_by=department)
    client = client_as(other_clerk)
    assert client.get(reverse("lists:entry_detail", args=[entry.pk])).status_code == 404
    assert client.get(reverse("lists:decision", args=[entry.pk])).status_code == 404
    assert _act(client, entry, "revoke", reason="x").status_code == 404
    assert entry.subject.name not in client.get(reverse("lists:entry_list")).content.decode()


def test_the_credit_office_sees_all_and_the_list_types(admin_user, client_as, department):
    entry = ListEntryFactory(decided_by=department)
    client = client_as(admin_user)
    assert entry.subject.name in client.get(reverse("lists:entry_list")).content.decode()
    types = client.get(reverse("lists:list_type_list")).content.decode()
    assert "人社部令第45号" in types or "人力资源社会保障部令第45号" in types
    assert "待核实" in types


def _list_type_form(department, **overrides):
    data = {
        "code": "JZSCYZSX",
        "name": "建筑市场严重失信主体名单",
        "kind": "black",
        "legal_basis": "《建筑市场信用管理暂行办法》",
        "period_rule": "fixed_years",
        "period_years": "3",
        "source": "decided",
        "notice_workdays": "5",
        "objection_answer_workdays": "10",
        "deciders": [department.pk],
        "is_public": "on",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_list_type_added_in_the_admin_without_code(admin_user, client_as, department):
    client = client_as(admin_user)
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    add = reverse("admin:lists_listtype_add")
    response = client.post(add, _list_type_form(department, period_years=""))
    assert response.status_code == 200  # refused: fixed years without years
    assert "请填写期限（年）" in response.content.decode()
    response = client.post(add, _list_type_form(department, source="catalog_item"))
    assert "请选择汇集的目录事项" in response.content.decode()
    response = client.post(add, _list_type_form(department))
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="list_type.create").count() == 1
    # The credit office corrects a period after verifying it: audited with before and after.
    created = ListType.objects.get(code="JZSCYZSX")
    change = reverse("admin:lists_listtype_change", args=[created.pk])
    assert client.post(change, _list_type_form(department, period_years="5")).status_code == 302
    log = AuditLog.objects.get(action="list_type.update")
    assert (log.before["period_years"], log.after["period_years"]) == (3, 5)
    assert ListType.objects.get(pk=created.pk).valid_until(dt.date(2025, 1, 1)) == dt.date(
        2029, 12, 31
    )


def test_a_window_in_a_year_without_official_holidays_is_flagged(
    clerk, client_as, department, pin_today
):
    pin_today("2027-03-01")
    entry = ListEntryFactory(
        decided_by=department,
        status=S.NOTIFIED,
        proposed_on=dt.date(2027, 3, 1),
        notified_on=dt.date(2027, 3, 1),
        objection_until=dt.date(2027, 3, 8),
        document_number="",
        listed_on=None,
        valid_until=None,
        published_on=None,
    )
    page = client_as(clerk).get(reverse("lists:entry_detail", args=[entry.pk])).content.decode()
    assert 'id="calendar-warning"' in page and "2027年" in page


def test_an_overdue_objection_answer_is_flagged_on_the_list(
    clerk, client_as, department, pin_today
):
    pin_today("2025-10-20")
    ListEntryFactory(
        decided_by=department,
        status=S.OBJECTED,
        objection_text="异议",
        objection_received_on=dt.date(2025, 10, 9),
        objection_answer_due=dt.date(2025, 10, 17),
        document_number="",
        listed_on=None,
        valid_until=None,
        published_on=None,
    )
    page = client_as(clerk).get(reverse("lists:entry_list")).content.decode()
    assert "答复期限 2025-10-17 已逾期" in page
