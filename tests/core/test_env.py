"""Settings from the environment: a wrong value names its variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from xinyong.core.env import env_bool, env_int


def test_env_int_reads_a_number_or_takes_the_default(monkeypatch):
    monkeypatch.setenv("XINYONG_TEST_N", " 256 ")
    assert env_int("XINYONG_TEST_N", 5) == 256
    monkeypatch.setenv("XINYONG_TEST_N", "")
    assert env_int("XINYONG_TEST_N", 5) == 5
    monkeypatch.delenv("XINYONG_TEST_N")
    assert env_int("XINYONG_TEST_N", 5) == 5


def test_env_int_names_the_variable_it_cannot_read(monkeypatch):
    monkeypatch.setenv("XINYONG_IMPORT_CACHE_MB", "128MB")
    with pytest.raises(ImproperlyConfigured, match=r"XINYONG_IMPORT_CACHE_MB.*128MB"):
        env_int("XINYONG_IMPORT_CACHE_MB", 128)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("Yes", True), ("0", False), ("no", False)]
)
def test_env_bool(monkeypatch, value, expected):
    monkeypatch.setenv("XINYONG_TEST_B", value)
    assert env_bool("XINYONG_TEST_B", not expected) is expected
