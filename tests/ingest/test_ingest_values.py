"""Every cell form a clerk's file carries, read or refused with a reason."""

import datetime as dt
from decimal import Decimal

import pytest

from xinyong.ingest.values import ValueProblem, decimal_text, parse_date, parse_decimal


@pytest.mark.parametrize(
    "raw",
    [
        "2018/07/01",
        "2018/7/1",
        "2018-07-01",
        "2018-7-1",
        "2018年7月1日",
        "2018年07月01日",
        "20180701",
        "2018-07-01 00:00:00",
        " 2018/07/01 ",
        "２０１８／０７／０１",
        dt.datetime(2018, 7, 1),
        dt.date(2018, 7, 1),
        43282,  # the spreadsheet serial number of 2018-07-01
        43282.0,
        "43282",
        20180701,
    ],
)
def test_every_date_form(raw):
    assert parse_date(raw) == dt.date(2018, 7, 1)


@pytest.mark.parametrize("raw", ["2023/02/30", "2023-13-01", "20230230", "2023年2月29日"])
def test_impossible_dates_refused_with_reason(raw):
    with pytest.raises(ValueProblem) as exc:
        parse_date(raw)
    assert "不是有效日期" in str(exc.value)


@pytest.mark.parametrize("raw", ["明天", "2023.2", "07/01/2018", "abc"])
def test_unreadable_dates_refused_with_forms_named(raw):
    with pytest.raises(ValueProblem) as exc:
        parse_date(raw)
    assert "2025/09/30" in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.5", "0.5"),
        ("1,234.50", "1234.5"),
        (" 3 ", "3"),
        (2.25, "2.25"),
        (10, "10"),
        ("1.5万元", "1.5"),
        ("０.８", "0.8"),
    ],
)
def test_amounts_in_wan_yuan(raw, expected):
    assert decimal_text(parse_decimal(raw)) == expected


@pytest.mark.parametrize("raw", ["五千元", "1.2.3", "abc", "-1"])
def test_non_numeric_or_negative_amounts_refused(raw):
    with pytest.raises(ValueProblem):
        parse_decimal(raw)


def test_decimal_text_has_no_exponent():
    assert decimal_text(Decimal("1E+2")) == "100"
