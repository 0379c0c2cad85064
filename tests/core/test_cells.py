"""The one rule every CSV and xlsx writer asks: could a spreadsheet run this?"""

import pytest

from xinyong.core.cells import csv_cell, formula_like


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-1+2", "'-1+2"),
        ("+A1", "'+A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-inf", "'-inf"),
        # Plain numbers are not formulas: amounts stay numbers.
        ("-0.5", "-0.5"),
        ("+3", "+3"),
        ("-1e3", "-1e3"),
        ("神农架", "神农架"),
        ("a=b", "a=b"),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_cell(value, written):
    assert csv_cell(value) == written
    assert formula_like(value) == (written != ("" if value is None else str(value)))
