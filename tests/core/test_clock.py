import datetime as dt

from xinyong.core import clock


def test_env_pins_today(monkeypatch):
    monkeypatch.setenv("XINYONG_TODAY", "2025-09-30")
    assert clock.today() == dt.date(2025, 9, 30)
    assert clock.now().tzinfo is not None


def test_pinned_block_overrides_env_and_unwinds(monkeypatch):
    monkeypatch.setenv("XINYONG_TODAY", "2025-09-30")
    with clock.pinned(dt.date(2024, 2, 29)):
        assert clock.today() == dt.date(2024, 2, 29)
        with clock.pinned("2026-01-01"):
            assert clock.today() == dt.date(2026, 1, 1)
        assert clock.today() == dt.date(2024, 2, 29)
    assert clock.today() == dt.date(2025, 9, 30)


def test_today_is_chinese_date_even_late_utc():
    # 2025-09-30 20:00 UTC is already 2025-10-01 04:00 in Shanghai.
    with clock.pinned(dt.datetime(2025, 9, 30, 20, 0, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2025, 10, 1)


def test_pin_fixture(pin_today):
    pin_today("2025-01-26")
    assert clock.today() == dt.date(2025, 1, 26)


def test_bad_pin_value_is_reported_in_chinese(monkeypatch):
    monkeypatch.setenv("XINYONG_TODAY", "30/09/2025")
    try:
        clock.today()
    except ValueError as exc:
        assert "XINYONG_TODAY" in str(exc) and "日期" in str(exc)
    else:
        raise AssertionError("a bad XINYONG_TODAY must be refused")
