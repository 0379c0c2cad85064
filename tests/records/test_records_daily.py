"""`xinyong daily`: publish what is due, end what expired, idempotently."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from support.ingest_files import penalty_row
from xinyong.core.models import AuditLog
from xinyong.records.models import Record
from xinyong.records.tasks import run_daily

pytestmark = pytest.mark.django_db

D = dt.date


def visible_ids(on: dt.date | None = None) -> set[int]:
    if on is None:
        return set(Record.objects.publicly_visible().values_list("pk", flat=True))
    from xinyong.core import clock

    with clock.pinned(on):
        return set(Record.objects.publicly_visible().values_list("pk", flat=True))


def snapshot() -> list[tuple]:
    return list(
        Record.objects.order_by("pk").values_list(
            "pk",
            "publish_due",
            "published_on",
            "published_on_time",
            "disclosure_rule",
            "disclosure_tier",
            "disclosure_end",
            "unpublished_on",
            "unpublish_reason",
        )
    )


def test_daily_publishes_records_written_without_their_window(xzcf, submit, day):
    day("2025-10-09")
    records = submit(xzcf, [penalty_row(1), penalty_row(2)], fill=False)
    assert all(r.disclosure_rule == "" and r.published_on is None for r in records)
    assert visible_ids() == set()
    counts = run_daily(D(2025, 10, 9))
    assert (counts.computed, counts.published, counts.published_late) == (2, 2, 0)
    for record in Record.objects.all():
        assert record.publish_due == D(2025, 10, 16)
        assert record.published_on == D(2025, 10, 9)
        assert record.published_on_time is True
    assert visible_ids() == {r.pk for r in records}


def test_daily_publishing_after_the_due_date_is_marked_late(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)], fill=False)
    day("2025-10-17")
    counts = run_daily(D(2025, 10, 17))
    record.refresh_from_db()
    assert (counts.published, counts.published_late) == (1, 1)
    assert record.published_on == D(2025, 10, 17)
    assert record.published_on_time is False


def test_daily_ends_what_expired_and_twice_changes_nothing(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])  # 一般: through 2026-09-30
    assert run_daily(D(2026, 9, 30)).expired == 0
    assert visible_ids(D(2026, 9, 30)) == {record.pk}
    # The day after its last day it is out of view, even before the job runs.
    assert visible_ids(D(2026, 10, 1)) == set()
    counts = run_daily(D(2026, 10, 1))
    record.refresh_from_db()
    assert counts.expired == 1
    assert record.unpublish_reason == Record.UnpublishReason.EXPIRED
    assert record.unpublished_on == D(2026, 10, 1)
    assert record.status == Record.Status.ACTIVE  # the record itself stays
    before = snapshot()
    again = run_daily(D(2026, 10, 1))
    assert (again.computed, again.published, again.expired) == (0, 0, 0)
    assert snapshot() == before


def test_daily_after_a_missed_week_catches_up_with_the_right_dates(xzcf, submit, day):
    day("2025-10-09")
    records = submit(
        xzcf,
        [
            penalty_row(1, **{"处罚决定日期": "2025/09/28"}),  # ends 2026-09-28
            penalty_row(2, **{"处罚决定日期": "2025/09/30"}),  # ends 2026-09-30
            penalty_row(3, **{"处罚决定日期": "2025/10/09"}),  # ends 2026-10-09
        ],
    )
    run_daily(D(2026, 9, 27))
    # Nobody ran the job from 2026-09-28 to 2026-10-04.
    counts = run_daily(D(2026, 10, 5))
    assert counts.expired == 2
    dates = dict(Record.objects.values_list("pk", "unpublished_on"))
    assert dates == {
        records[0].pk: D(2026, 9, 29),
        records[1].pk: D(2026, 10, 1),
        records[2].pk: None,
    }
    assert visible_ids(D(2026, 10, 5)) == {records[2].pk}


def test_daily_writes_one_summary_audit_row_per_run(xzcf, submit, day):
    day("2025-10-09")
    submit(xzcf, [penalty_row(n) for n in range(1, 6)], fill=False)
    run_daily(D(2025, 10, 9))
    run_daily(D(2025, 10, 9))
    rows = list(AuditLog.objects.filter(action="disclosure.daily").order_by("id"))
    assert len(rows) == 2
    assert rows[0].after["published"] == 5 and rows[0].after["computed"] == 5
    assert rows[1].after["published"] == 0
    assert rows[0].object_id == "2025-10-09"
    assert not AuditLog.objects.filter(action__startswith="record.publish").exists()


def test_daily_does_not_publish_non_public_items(department, submit, day):
    from xinyong.catalog.models import CatalogItem

    item = CatalogItem.objects.get(code="XZCF")
    item.departments.add(department)
    day("2025-10-09")
    (record,) = submit(item, [penalty_row(1)], fill=False)
    CatalogItem.objects.filter(pk=item.pk).update(disclosure=CatalogItem.Disclosure.GOVERNMENT)
    run_daily(D(2025, 10, 9))
    record.refresh_from_db()
    assert record.published_on is None
    assert record.disclosure_end == D(2026, 9, 30)  # still computed
    # Public again: the next run publishes it.
    CatalogItem.objects.filter(pk=item.pk).update(disclosure=CatalogItem.Disclosure.PUBLIC)
    assert run_daily(D(2025, 10, 10)).published == 1


def test_command_prints_counts_in_chinese_and_stands_on_the_date(xzcf, submit, day, capsys):
    day("2025-10-09")
    submit(xzcf, [penalty_row(1), penalty_row(2)], fill=False)
    day("2025-10-25")  # a past day is replayed as it was
    call_command("daily", date="2025-10-20")
    out = capsys.readouterr().out
    assert "2025-10-20 每日公示任务完成" in out
    assert "新公示 2 条（其中超过应公示日期 2 条）" in out
    assert "公示期满、停止公示 0 条" in out
    assert set(Record.objects.values_list("published_on", flat=True)) == {D(2025, 10, 20)}
    row = AuditLog.objects.get(action="disclosure.daily")
    assert timezone.localtime(row.at).date() == D(2025, 10, 20)


def test_command_defaults_to_today_and_refuses_a_bad_date(xzcf, day, capsys):
    day("2025-10-09")
    call_command("daily")
    assert "2025-10-09 每日公示任务完成" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("daily", date="2025/10/09")


def test_command_refuses_a_day_after_today(xzcf, submit, day):
    """A future date ended records still in their period and moved the change feed ahead."""
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])  # 一般: public through 2026-09-30
    before = snapshot()
    with pytest.raises(CommandError, match="晚于今天"):
        call_command("daily", date="2026-10-01")
    assert snapshot() == before
    assert visible_ids() == {record.pk}
    assert not AuditLog.objects.filter(action="disclosure.daily").exists()


def test_command_dry_run_prints_the_counts_and_changes_nothing(xzcf, submit, day, capsys):
    day("2025-10-09")
    submit(xzcf, [penalty_row(1), penalty_row(2)], fill=False)
    before = snapshot()
    call_command("daily", dry_run=True)
    out = capsys.readouterr().out
    assert "试运行（未做任何修改）" in out
    assert "新公示 2 条" in out
    assert snapshot() == before
    assert not AuditLog.objects.filter(action="disclosure.daily").exists()
    call_command("daily")
    assert "新公示 2 条" in capsys.readouterr().out
    assert snapshot() != before


def test_every_state_change_sets_updated_at(xzcf, submit, pin_today, clerk):
    """The open-data change feed reads `updated_at`: the window fill, the
    daily job's publication and expiry, and a withdrawal each set it."""
    from xinyong.records.services import record_withdraw

    def at(moment: str) -> dt.datetime:
        value = dt.datetime.fromisoformat(moment + "+08:00")
        pin_today(value)
        return value

    def stamps() -> dict[int, dt.datetime]:
        return dict(Record.objects.values_list("pk", "updated_at"))

    at("2025-10-09T10:00")
    filled, later, withdrawn = submit(xzcf, [penalty_row(1), penalty_row(2), penalty_row(3)])
    assert set(stamps().values()) == {dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)}

    # The daily catch-up computes a window (and publishes): set.
    Record.objects.filter(pk=later.pk).update(disclosure_rule="", published_on=None)
    moment = at("2025-10-10T01:00")
    run_daily(D(2025, 10, 10))
    assert stamps()[later.pk] == moment and stamps()[filled.pk] != moment

    # The daily publication of a record whose window was computed: set.
    Record.objects.filter(pk=later.pk).update(published_on=None)
    moment = at("2025-10-11T01:00")
    assert run_daily(D(2025, 10, 11)).published == 1
    assert stamps()[later.pk] == moment and stamps()[filled.pk] != moment

    # A withdrawal: set.
    moment = at("2025-10-13T15:00")
    record_withdraw(actor=clerk, record=withdrawn, reason="复议撤销")
    assert stamps()[withdrawn.pk] == moment

    # The daily expiry: set, once.
    moment = at("2026-10-01T01:00")
    assert run_daily(D(2026, 10, 1)).expired == 2
    assert stamps()[filled.pk] == moment and stamps()[later.pk] == moment
    at("2026-10-02T01:00")
    before = stamps()
    run_daily(D(2026, 10, 2))
    assert stamps() == before
