import datetime as dt

import pytest

from support.platform import platform  # noqa: F401 - a fixture for the worker tests


@pytest.fixture
def on_day(pin_today):
    """Most intake tests stand on 2025-10-09 (a Thursday after National Day)."""
    pin_today(dt.date(2025, 10, 9))
