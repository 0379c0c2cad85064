import datetime as dt

from records.factories import PenaltyRecordFactory
from xinyong.records.selectors import record_is_person, record_list_public


def test_penalty_record_is_public_once_published(db, pin_today):
    pin_today("2025-10-09")
    hidden = PenaltyRecordFactory()
    shown = PenaltyRecordFactory(
        published_on=dt.date(2025, 10, 9), disclosure_end=dt.date(2026, 10, 8)
    )
    assert list(record_list_public()) == [shown]
    assert hidden.decision_date == dt.date(2025, 10, 6)
    assert not record_is_person(shown)
