"""`entries_in_force`: the selector the check uses (LISTS_INTERFACE.md)."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory, fed_record
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.selectors import entries_in_force
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


def test_shipped_list_types_with_their_bases():
    types = {t.code: t for t in ListType.objects.all()}
    assert set(types) >= {
        "SXBZX",
        "ZDSSWF",
        "TQNMGGZ",
        "AQSCYZSX",
        "SCJGYZWF",
        "NSXYA",
        "SHTZXY",
        "HGGJRZ",
    }
    assert types["SXBZX"].source == ListType.Source.CATALOG_ITEM
    assert types["SXBZX"].feed_item.code == "SXBZX"
    assert types["SXBZX"].period_rule == ListType.PeriodRule.UNTIL_REMOVED
    assert "第54号" in types["ZDSSWF"].legal_basis
    wages = types["TQNMGGZ"]
    assert "第45号" in wages.legal_basis
    assert (wages.period_years, wages.early_removal_after_months) == (3, 6)
    assert "信用承诺" in wages.early_removal
    safety = types["AQSCYZSX"]
    assert "第11号" in safety.legal_basis
    assert (safety.period_years, safety.early_removal_after_months) == (3, 12)
    assert "待核实" in safety.note  # unconfirmed nationally: editable data with a note
    assert "第44号" in types["SCJGYZWF"].legal_basis
    assert types["NSXYA"].kind == ListType.Kind.RED
    assert types["NSXYA"].period_rule == ListType.PeriodRule.YEARLY
    assert types["NSXYA"].feed_item.code == "NSXYA"
    assert types["SHTZXY"].period_years == 2
    assert types["HGGJRZ"].kind == ListType.Kind.RED


def test_an_entry_in_force_with_its_explanation(department):
    entry = ListEntryFactory(decided_by=department)
    [view] = entries_in_force(subject_ids=[entry.subject_id])
    assert view.entry_id == entry.pk and view.record_id is None
    assert view.list_code == entry.list_type.code
    assert view.kind == "black"
    assert view.decider == department.name
    assert view.document_number == entry.document_number
    assert view.listed_on == entry.listed_on
    assert view.valid_until == entry.listed_on.replace(
        year=entry.listed_on.year + 3
    ) - dt.timedelta(days=1)
    assert "提前移出" in view.removal_conditions


def test_expiry_counts_at_once_without_the_daily_job(pin_today):
    pin_today("2025-06-01")
    entry = ListEntryFactory(listed_on=dt.date(2022, 6, 1), valid_until=dt.date(2025, 5, 31))
    assert entries_in_force(subject_ids=[entry.subject_id]) == []
    assert entries_in_force(subject_ids=[entry.subject_id], on=dt.date(2025, 5, 31))
    entry.refresh_from_db()
    assert entry.status == ListEntry.Status.DECIDED  # not yet marked by the job


@pytest.mark.parametrize(
    "status",
    [s for s in ListEntry.Status.values if s != ListEntry.Status.DECIDED],
)
def test_only_decided_entries_are_in_force(status):
    entry = ListEntryFactory(status=status)
    if status in ("proposed", "withdrawn"):
        entry.notified_on = entry.objection_until = None
    entry.save()
    assert entries_in_force(subject_ids=[entry.subject_id]) == []


def test_fed_entry_ends_at_once_when_the_court_withdraws(department, admin_user):
    from xinyong.records.services import record_withdraw

    record = fed_record(department=department)
    [view] = entries_in_force(subject_ids=[record.subject_id])
    assert (view.list_code, view.record_id, view.entry_id) == ("SXBZX", record.pk, None)
    assert view.decider == department.name
    assert view.valid_until is None
    assert view.document_number == record.doc_number
    record_withdraw(actor=admin_user, record=record, reason="被执行人已履行全部义务")
    assert entries_in_force(subject_ids=[record.subject_id]) == []


def test_red_list_fed_by_nsxya_ends_with_its_window(pin_today):
    pin_today("2025-06-01")
    record = fed_record(
        code="NSXYA", decided=dt.date(2024, 6, 1), disclosure_end=dt.date(2025, 5, 31)
    )
    assert (
        entries_in_force(subject_ids=[record.subject_id], on=dt.date(2025, 5, 31))[0].kind == "red"
    )
    assert entries_in_force(subject_ids=[record.subject_id]) == []


def test_other_items_records_are_not_listings():
    from records.factories import PenaltyRecordFactory

    record = PenaltyRecordFactory()
    assert entries_in_force(subject_ids=[record.subject_id]) == []


def test_an_inactive_list_type_counts_no_more():
    entry = ListEntryFactory()
    ListType.objects.filter(pk=entry.list_type_id).update(is_active=False)
    assert entries_in_force(subject_ids=[entry.subject_id]) == []


def test_bounded_queries_for_many_subjects(django_assert_max_num_queries):
    subjects = SubjectFactory.create_batch(5)
    list_type = ListTypeFactory()
    for subject in subjects:
        ListEntryFactory(subject=subject, list_type=list_type)
        fed_record(
            subject=subject, doc_number=f"(2025)鄂9021执{subject.pk}号", record_key=f"k{subject.pk}"
        )
    ids = [s.pk for s in subjects] + list(range(10**6, 10**6 + 20_000))
    with django_assert_max_num_queries(2):  # entries decided here; fed records
        views = entries_in_force(subject_ids=ids)
    assert len(views) == 10
    assert {v.subject_id for v in views} == {s.pk for s in subjects}
    assert Record.objects.count() == 5
    assert entries_in_force(subject_ids=[]) == []


def test_today_comes_from_the_clock(pin_today):
    entry = ListEntryFactory()
    pin_today(entry.valid_until + dt.timedelta(days=1))
    assert clock.today() > entry.valid_until
    assert entries_in_force(subject_ids=[entry.subject_id]) == []


def test_both_statements_can_use_their_subject_index():
    from records.factories import PenaltyRecordFactory

    """The check bench calls it thousands of times a second on 10^5 entries and
    10^6 records: each statement must be able to start from the subject index
    (PostgreSQL is told to avoid a sequential scan, which it prefers on tiny tables)."""
    from django.db import connection, transaction

    from xinyong.core.db import dialect

    entry = ListEntryFactory()
    fed_record(subject=entry.subject)
    # Enough other decided entries that a planner with statistics has a choice to make.
    others = SubjectFactory.create_batch(300)
    ListEntry.objects.bulk_create(
        ListEntryFactory.build(subject=s, list_type=entry.list_type, decided_by=entry.decided_by)
        for s in others
    )
    Record.objects.bulk_create(
        PenaltyRecordFactory.build(
            subject=s, department=entry.decided_by, doc_number=f"罚{s.pk}", record_key=f"罚{s.pk}"
        )
        for s in others
    )
    from xinyong.lists.selectors import in_force_statements

    captured = in_force_statements([entry.subject_id, 10**6], clock.today())
    assert len(entries_in_force(subject_ids=[entry.subject_id, 10**6])) == 2
    with transaction.atomic():
        dialect().analyze("lists_listentry", ["subject_id", "status", "valid_until"])
        dialect().analyze("records_record", ["subject_id", "item_id"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plans = ["\n".join(dialect().explain(sql, params)) for sql, params in captured]
    assert "list_entry_in_force_idx" in plans[0], plans[0]
    [subject_index] = [i.name for i in Record._meta.indexes if i.fields == ["subject", "item"]]
    assert subject_index in plans[1], plans[1]
