"""The four effects of an approved repair, each seen where a user sees it:
the record leaves the portal, the open data and the change feed (终止公示);
checks stop matching it (停止共享); list entries resting on it are removed
early where their type allows; the departments that applied measures are
told (解除惩戒)."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory
from orgs.factories import DepartmentFactory, OfficerFactory
from rights.factories import COMPANY_USCC, company
from rights.repair_factories import file_repair, negative_record
from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import Notice
from xinyong.rights import services
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.reference import forget
from xinyong.sanctions.services.checks import check_run
from xinyong.sanctions.services.feedback import feedback_submit


@pytest.fixture(autouse=True)
def fresh_reference():
    forget()
    yield
    forget()


def _check(officer):
    return check_run(
        actor=officer, department=officer.department, domain_code="ZFCG",
        matter="政府采购", query=Query(uscc=COMPANY_USCC), channel=Check.Channel.PAGE,
    )  # fmt: skip


@pytest.fixture
def world(department, other_department, xzcf, clerk):
    """A company with a serious penalty (2025-09-01, 527号: 6–36 months), on
    拖欠农民工工资 (early removal after 6 months) and on a list without early
    removal, both resting on that penalty; the finance bureau checked it and
    applied a measure, the housing bureau checked it and applied none."""
    subject = company()
    record = negative_record(
        department=department, subject=subject, decided=dt.date(2025, 9, 1), tier="serious"
    )
    wages = ListEntryFactory(
        list_type=ListType.objects.get(code="TQNMGGZ"),
        subject=subject,
        decided_by=other_department,
        listed_on=dt.date(2025, 10, 9),
    )
    fixed = ListEntryFactory(
        list_type=ListTypeFactory(code="NOEARLY", early_removal_after_months=None),
        subject=subject,
        decided_by=other_department,
        listed_on=dt.date(2025, 10, 9),
    )
    for entry in (wages, fixed):
        entry.evidence.add(record)
    finance = OfficerFactory(username="cz", department=DepartmentFactory(name="林区财政局"))
    housing = OfficerFactory(username="zj", department=DepartmentFactory(name="林区住建局"))
    with clock.pinned("2026-05-06"):
        hit = _check(finance)
        measure = next(m["id"] for h in hit.hits for m in h["measures"])
        feedback_submit(
            actor=finance, check=hit.check, applied=True, measure_id=measure,
            result="取消其投标资格", decided_on=dt.date(2026, 5, 6),
        )  # fmt: skip
        other = _check(housing)
        feedback_submit(
            actor=housing, check=other.check, applied=False, measure_id=None,
            reason_not_applied="未进入采购程序", result="无", decided_on=dt.date(2026, 5, 6),
        )  # fmt: skip
    return {"record": record, "wages": wages, "fixed": fixed, "finance": finance}


def _approve(record, clerk):
    r = file_repair(record).repair
    services.repair_accept(actor=clerk, repair=r)
    return services.repair_approve(
        actor=clerk, repair=r, note="罚款已缴清并作出信用承诺", obligations_confirmed=True
    )


def test_publication_ends_on_the_portal_the_api_and_the_feed(world, clerk, client, pin_today):
    record = world["record"]
    pin_today("2026-06-01")
    detail = f"/shuanggongshi/penalties/{record.pk}/"
    assert client.get(detail).status_code == 200
    page = client.get(f"/subjects/{record.subject_id}/").content.decode()
    assert record.doc_number in page
    api = client.get("/api/v1/public/records", {"item": "XZCF"}).json()
    assert record.pk in [i["id"] for i in api["items"]]
    since = "2026-05-31T00:00:00+08:00"

    _approve(record, clerk)

    assert client.get(detail).status_code == 404
    assert record.doc_number not in client.get(f"/subjects/{record.subject_id}/").content.decode()
    api = client.get("/api/v1/public/records", {"item": "XZCF"}).json()
    assert record.pk not in [i["id"] for i in api["items"]]
    feed = client.get("/api/v1/public/changes", {"since": since}).json()["changes"]
    removed = [c for c in feed if c["record_id"] == record.pk]
    assert removed[-1]["change"] == "removed"
    assert removed[-1]["reason"] == "repaired"
    assert "信用修复" in removed[-1]["reason_text"]
    record.refresh_from_db()
    assert record.unpublished_on == dt.date(2026, 6, 1)
    assert record.status == "active"  # kept, out of the public view


def test_checks_stop_matching_it(world, clerk, pin_today):
    pin_today("2026-06-01")
    before = _check(world["finance"])
    lists_hit = {h["list"]["code"]: h for h in before.hits}
    assert set(lists_hit) == {"TQNMGGZ", "NOEARLY"}
    assert [r["id"] for r in lists_hit["NOEARLY"]["serious_records"]] == [world["record"].pk]

    _approve(world["record"], clerk)

    after = {h["list"]["code"]: h for h in _check(world["finance"]).hits}
    assert set(after) == {"NOEARLY"}  # the wages entry was removed early
    assert after["NOEARLY"]["serious_records"] == []


def test_list_entries_removed_where_the_type_allows(world, clerk, pin_today):
    pin_today("2026-06-01")
    repair = _approve(world["record"], clerk)
    wages, fixed = world["wages"], world["fixed"]
    wages.refresh_from_db()
    fixed.refresh_from_db()
    assert wages.status == ListEntry.Status.REMOVED
    assert wages.ended_on == dt.date(2026, 6, 1) and repair.number in wages.end_reason
    assert fixed.status == ListEntry.Status.DECIDED
    assert repair.effects["entries_removed"] == [
        {"entry_id": wages.pk, "list": wages.list_type.name}
    ]
    assert repair.effects["entries_kept"][0]["entry_id"] == fixed.pk
    assert "不适用提前移出" in repair.effects["entries_kept"][0]["why"]


def test_an_entry_too_young_for_early_removal_stays(world, clerk, pin_today):
    ListEntry.objects.filter(pk=world["wages"].pk).update(listed_on=dt.date(2026, 3, 2))
    pin_today("2026-06-01")
    repair = _approve(world["record"], clerk)
    kept = {e["entry_id"]: e["why"] for e in repair.effects["entries_kept"]}
    assert "2026-09-02" in kept[world["wages"].pk]
    world["wages"].refresh_from_db()
    assert world["wages"].status == ListEntry.Status.DECIDED


def test_departments_that_applied_measures_are_told(world, clerk, pin_today):
    pin_today("2026-06-01")
    repair = _approve(world["record"], clerk)
    finance = world["finance"].department
    notices = list(Notice.objects.filter(title__contains="解除惩戒"))
    assert [n.department_id for n in notices] == [finance.pk]
    assert repair.number in notices[0].body and world["record"].doc_number in notices[0].body
    assert repair.effects["departments_told"] == ["林区财政局"]


def test_a_rejected_repair_has_no_effect(world, clerk, pin_today):
    pin_today("2026-06-01")
    r = services.repair_accept(actor=clerk, repair=file_repair(world["record"]).repair)
    services.repair_reject(actor=clerk, repair=r, reason="仍有未缴清的罚款")
    world["record"].refresh_from_db()
    world["wages"].refresh_from_db()
    assert world["record"].unpublish_reason == ""
    assert world["wages"].status == ListEntry.Status.DECIDED
    assert not Notice.objects.filter(title__contains="解除惩戒").exists()


def test_checks_see_the_application_while_it_is_under_review(world, clerk, pin_today):
    pin_today("2026-06-01")
    r = file_repair(world["record"]).repair
    services.repair_accept(actor=clerk, repair=r)
    statuses = {h["list"]["code"]: h["status"]["repair"] for h in _check(world["finance"]).hits}
    assert statuses == {"TQNMGGZ": "信用修复申请处理中", "NOEARLY": "信用修复申请处理中"}
    services.repair_reject(actor=clerk, repair=r, reason="罚款尚未缴清")
    statuses = {h["list"]["code"]: h["status"]["repair"] for h in _check(world["finance"]).hits}
    assert statuses == {"TQNMGGZ": "无", "NOEARLY": "无"}
