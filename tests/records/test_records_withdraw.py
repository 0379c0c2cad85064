"""Withdrawal (行政处罚法 art. 48): at once out of view, reason kept, 3 working days."""

import datetime as dt

import pytest

from support.ingest_files import penalty_row
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.models import AuditLog
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.records.tasks import run_daily

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def published(xzcf, submit, day) -> Record:
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])  # decided 2025-09-30
    assert Record.objects.publicly_visible().filter(pk=record.pk).exists()
    return record


def test_withdrawal_leaves_the_public_view_at_once_with_its_reason(published, clerk):
    record_withdraw(
        actor=clerk,
        record=published,
        reason="经行政复议，原处罚决定被撤销（神复决〔2025〕3号）",
        decided_on=D(2025, 10, 9),
        kind=Record.WithdrawalKind.REVOKED,
    )
    assert not Record.objects.publicly_visible().filter(pk=published.pk).exists()
    record = Record.objects.get(pk=published.pk)
    assert record.status == Record.Status.WITHDRAWN
    assert record.withdrawn_reason.startswith("经行政复议")
    assert record.withdrawn_kind == "revoked"
    assert record.withdrawal_decided_on == D(2025, 10, 9)
    assert record.unpublish_reason == Record.UnpublishReason.WITHDRAWN
    assert record.unpublished_on == D(2025, 10, 9)
    assert record.withdrawn_at is not None
    assert record.published_on == D(2025, 10, 9)  # history kept
    assert list(Record.objects.publicly_withdrawn()) == [record]
    audit = AuditLog.objects.get(action="record.withdraw")
    assert audit.reason.startswith("经行政复议")
    assert audit.after["withdrawn_on_time"] is True
    assert audit.before["status"] == "active"
    # The daily job never brings it back.
    run_daily(D(2025, 10, 10))
    assert not Record.objects.publicly_visible().filter(pk=published.pk).exists()


@pytest.mark.parametrize(
    ("withdrawn", "on_time"),
    [
        ("2025-10-09", True),  # 1st working day after 2025-09-30 (National Day off)
        ("2025-10-11", True),  # Saturday, a make-up working day: the 3rd
        ("2025-10-13", False),  # the 4th working day
    ],
)
def test_within_three_working_days_of_the_revoking_decision(
    published, clerk, day, withdrawn, on_time
):
    day(withdrawn)
    record = record_withdraw(
        actor=clerk, record=published, reason="处罚决定被依法变更", decided_on=D(2025, 9, 30)
    )
    assert record.withdrawn_on_time is on_time
    assert Record.objects.get(pk=record.pk).withdrawn_on_time is on_time


def test_without_a_decision_date_the_deadline_is_unknown(published, clerk):
    record = record_withdraw(actor=clerk, record=published, reason="处罚决定被确认违法")
    assert record.withdrawn_on_time is None


def test_withdrawal_needs_a_reason_and_happens_once(published, clerk):
    with pytest.raises(ApplicationError) as error:
        record_withdraw(actor=clerk, record=published, reason="  ")
    assert error.value.code == "reason_required"
    record_withdraw(actor=clerk, record=published, reason="撤销")
    with pytest.raises(ApplicationError) as error:
        record_withdraw(actor=clerk, record=published, reason="再次撤销")
    assert error.value.code == "already_withdrawn"


def test_withdrawal_refuses_impossible_dates_and_kinds(published, clerk):
    for decided_on, code in (
        (D(2025, 10, 10), "decided_in_future"),
        (D(2025, 9, 1), "decided_before_decision"),
    ):
        with pytest.raises(ApplicationError) as error:
            record_withdraw(actor=clerk, record=published, reason="撤销", decided_on=decided_on)
        assert error.value.code == code
    with pytest.raises(ApplicationError) as error:
        record_withdraw(actor=clerk, record=published, reason="撤销", kind="whim")
    assert error.value.code == "invalid_kind"
    assert Record.objects.get(pk=published.pk).status == Record.Status.ACTIVE


def test_another_department_cannot_withdraw(published, other_clerk):
    with pytest.raises(NotFoundError):
        record_withdraw(actor=other_clerk, record=published, reason="撤销")


def test_withdrawing_a_record_never_published_dates_no_removal(xzcf, submit, day, clerk):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)], fill=False)
    record_withdraw(actor=clerk, record=record, reason="撤销")
    record.refresh_from_db()
    assert record.unpublished_on is None
    assert record.unpublish_reason == Record.UnpublishReason.WITHDRAWN
    run_daily(D(2025, 10, 9))
    record.refresh_from_db()
    assert record.published_on is None
    assert not Record.objects.publicly_withdrawn().exists()
