"""Cells of the spreadsheets and CSV files the platform writes.

A text that starts with =, +, -, @, a tab or a carriage return is taken by
Excel, WPS and LibreOffice for a formula (CSV or formula injection:
`=HYPERLINK(...)` leaks data on a click, `=cmd|' /C calc'!A0` runs a
program). Every writer asks `formula_like` of each value it writes, headers
included: a CSV writes such a text with a leading `'` (`csv_cell`), an xlsx
stores it as a text cell (`ingest.spreadsheets`). A plain decimal number
(-0.5, +3) is not a formula and stays as it is.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def formula_like(value: object) -> bool:
    """Whether a spreadsheet program could read `value` as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    return "'" + text if formula_like(text) else text
