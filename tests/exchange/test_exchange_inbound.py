"""Inbound feeds: pulled by cursor, applied through lists' services, and a
repeated feed changes nothing."""

import copy

import pytest

from xinyong.core.models import AuditLog
from xinyong.exchange import simulator
from xinyong.exchange.models import Cursor, InboundItem, InboundRun
from xinyong.exchange.services import inbound
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import entries_in_force
from xinyong.subjects.models import Subject


@pytest.fixture
def feeds(province, credit_office, pin_today):
    pin_today("2025-10-09")
    for name, items in simulator.demo_feeds().items():
        province.add_feed(name, copy.deepcopy(items))
    return province


def state():
    return sorted(
        ListEntry.objects.values_list(
            "list_type__code", "subject__uscc", "document_number", "status", "valid_until"
        )
    )


@pytest.mark.django_db
def test_feeds_are_applied_through_lists(feeds):
    runs = inbound.inbound_pull_all()
    assert [(r.feed, r.status, r.received, r.applied, r.rejected) for r in runs] == [
        ("sxbzx", "done", 2, 2, 0),
        ("zdsswf", "done", 1, 1, 0),
        ("repair", "done", 1, 1, 0),
    ]
    entries = {e.document_number: e for e in ListEntry.objects.select_related("list_type")}
    court = entries["（2025）鄂9021执123号"]
    assert (court.list_type.code, court.status) == ("SXBZX", "decided")
    assert "神农架林区人民法院" in court.reasons
    assert court.decided_by.kind == "credit_office"
    # The repair result ended the second listing.
    repaired = entries["（2025）鄂9021执207号"]
    assert repaired.status == "removed" and "信用修复" in repaired.end_reason
    # The check sees the received listings in force.
    subject = Subject.objects.get(uscc="91429021MA4B1C2D16")
    [view] = entries_in_force(subject_ids=[subject.pk])
    assert view.document_number == "神税稽罚〔2025〕12号"
    assert Cursor.objects.get(name="in:sxbzx").position == "2"
    assert AuditLog.objects.filter(action="list_entry.receive").count() == 3
    assert AuditLog.objects.filter(action="list_entry.receive_end").count() == 1


@pytest.mark.django_db
def test_a_repeated_feed_changes_nothing(feeds):
    inbound.inbound_pull_all()
    before, audits = state(), AuditLog.objects.filter(action__startswith="list_entry.").count()
    # The next pull starts at the cursor: nothing new.
    runs = inbound.inbound_pull_all()
    assert [r.received for r in runs] == [0, 0, 0]
    # The whole feed again from the start (a province that resends, a lost cursor).
    Cursor.objects.update(position="")
    runs = inbound.inbound_pull_all()
    assert [(r.received, r.applied, r.unchanged) for r in runs] == [(2, 0, 2), (1, 0, 1), (1, 0, 1)]
    # The same items under new ids (the province renumbered): lists' services see
    # the same listings and change nothing either.
    for name, items in simulator.demo_feeds().items():
        for item in items:
            item["id"] += "-again"
        feeds.add_feed(name, items)
    Cursor.objects.update(position="")
    runs = inbound.inbound_pull_all()
    assert sum(r.applied for r in runs) == 0
    assert state() == before
    assert AuditLog.objects.filter(action__startswith="list_entry.").count() == audits


@pytest.mark.django_db
def test_a_changed_item_updates_its_listing(feeds):
    inbound.inbound_pull(feed_name="sxbzx")
    changed = copy.deepcopy(simulator.demo_feeds()["sxbzx"][0])
    changed["valid_until"] = "2028-05-31"  # extended (最高法 规定: 1–3 years)
    feeds.add_feed("sxbzx", [changed])
    run = inbound.inbound_pull(feed_name="sxbzx")
    assert (run.received, run.applied) == (1, 1)
    entry = ListEntry.objects.get(document_number="（2025）鄂9021执123号")
    assert entry.valid_until.isoformat() == "2028-05-31"
    assert ListEntry.objects.filter(document_number="（2025）鄂9021执123号").count() == 1


@pytest.mark.django_db
def test_bad_items_are_rejected_and_logged_the_rest_applied(feeds):
    feeds.state.feeds["sxbzx"] = [
        {"id": "BAD-1", "op": "list", "list_code": "NOPE", "subject": {}},
        {
            "id": "BAD-2",
            "op": "list",
            "list_code": "SXBZX",
            "subject": {"kind": "legal", "name": "某公司", "uscc": "91429021MA49XK2P41"},
            "document_number": "（2025）鄂9021执9号",
            "listed_on": "2025-06-01",
        },
        {"op": "list"},
        simulator.demo_feeds()["sxbzx"][0],
    ]
    run = inbound.inbound_pull(feed_name="sxbzx")
    assert (run.received, run.applied, run.rejected) == (4, 1, 3)
    details = dict(InboundItem.objects.filter(outcome="rejected").values_list("item_id", "detail"))
    assert "NOPE" in details["BAD-1"]
    assert "统一社会信用代码" in details["BAD-2"]
    assert ListEntry.objects.count() == 1
    assert not Subject.objects.filter(name="某公司").exists()


@pytest.mark.django_db
def test_an_unreachable_province_is_a_failed_run_in_the_log(settings, credit_office):
    settings.XINYONG_EXCHANGE_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP = True
    run = inbound.inbound_pull(feed_name="sxbzx")
    assert run.status == InboundRun.Status.FAILED
    assert "连接省级平台失败" in run.error
    assert InboundRun.objects.get().finished_at is not None


@pytest.mark.django_db
def test_a_repair_result_before_its_listing_is_applied_once_the_listing_comes(feeds):
    first = inbound.inbound_pull(feed_name="repair")
    assert (first.received, first.rejected) == (1, 1)
    rejected = InboundItem.objects.get(feed="repair")
    assert rejected.outcome == "rejected" and "未找到该名单条目" in rejected.detail
    inbound.inbound_pull(feed_name="sxbzx")
    again = inbound.inbound_pull(feed_name="repair")
    assert (again.received, again.applied, again.rejected) == (1, 1, 0)
    rejected.refresh_from_db()
    assert (rejected.outcome, rejected.content) == ("applied", {})
    assert ListEntry.objects.get(document_number="（2025）鄂9021执207号").status == "removed"
    # Nothing left to retry: the next pull does nothing.
    assert inbound.inbound_pull(feed_name="repair").received == 0
