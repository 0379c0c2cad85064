"""Parsing of cell values as clerks' spreadsheets really carry them.

Each parser takes a raw cell (str from CSV; str, int, float, datetime or
date from a spreadsheet) and returns the canonical value or raises
`ValueProblem` with a Chinese reason (without the field name: the caller
names the row and the field).
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from xinyong.core.text import hidden_character

# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# 2099/12/31 means "long-term" (长期) in the 双公示 standard.
LONG_TERM = dt.date(2099, 12, 31)

_DATE_PATTERNS = [
    # 2018/07/01, 2018-7-1, 2018.07.01, optionally followed by a time part.
    re.compile(
        r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_NUMBER_CLEAN = str.maketrans("", "", ", ，")


class ValueProblem(Exception):
    """A cell that cannot be read as its field's type."""


def check_characters(text: str) -> None:
    """Refuse a value carrying a character no clerk types (`core.text.hidden_character`).

    Every text value of a row passes here (`RowValidator.validate`), from a file or the API.
    """
    problem = hidden_character(text)
    if problem is not None:
        raise ValueProblem(problem)


def clean_text(raw: object) -> str:
    """Text as a person means it: NFKC (full-width → half-width is NOT applied to
    text fields; only surrounding white space and stray control characters go)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        # A number typed into a text column arrives from a spreadsheet as 123.0.
        raw = int(raw)
    text = raw if isinstance(raw, str) else str(raw)
    return text.strip().strip("\u200b\ufeff").strip()


def parse_date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 19000101 <= raw <= 29991231 and float(raw).is_integer():
            # 20180701 typed as a number.
            return parse_date(str(int(raw)))
        if 1 <= raw < 2958466:
            # A real spreadsheet date stored as its serial number.
            return EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise ValueProblem(_("“%(v)s”不是有效日期") % {"v": raw})
    text = unicodedata.normalize("NFKC", clean_text(raw))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text) or pattern.match(text.replace(" ", ""))
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueProblem(
                    _("“%(v)s”不是有效日期（%(y)d年没有%(m)d月%(d)d日）")
                    % {"v": clean_text(raw), "y": year, "m": month, "d": day}
                ) from None
    if text.isdigit() and len(text) == 5:
        # A spreadsheet date's serial number that lost its format (e.g. 45930).
        return parse_date(int(text))
    raise ValueProblem(
        _("“%(v)s”不是可识别的日期，请写成 2025/09/30、2025-09-30、2025年9月30日 或 20250930")
        % {"v": clean_text(raw)}
    )


# An amount is in 万元: 10^10 万元 is 100 万亿元, past any fine or licence; six decimal
# places reach 0.01 元. Beyond either it is a typo or an attack (`1e400` was stored
# with 401 digits).
MAX_DECIMAL = Decimal(10) ** 10
MAX_DECIMAL_PLACES = 6


def parse_decimal(raw: object) -> Decimal:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = unicodedata.normalize("NFKC", clean_text(raw)).translate(_NUMBER_CLEAN)
        if text.endswith("万元"):
            text = text[:-2]
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueProblem(
                _("“%(v)s”不是数值（单位：万元）") % {"v": clean_text(raw)}
            ) from None
    if value.is_infinite():
        raise ValueProblem(
            _("“%(v)s”超出范围：应小于 %(max)s（单位：万元）")
            % {"v": clean_text(raw)[:40], "max": decimal_text(MAX_DECIMAL)}
        )
    if not value.is_finite():
        raise ValueProblem(_("“%(v)s”不是数值") % {"v": clean_text(raw)})
    if value < 0:
        raise ValueProblem(_("“%(v)s”不能为负数") % {"v": clean_text(raw)})
    if value >= MAX_DECIMAL:
        raise ValueProblem(
            _("“%(v)s”超出范围：应小于 %(max)s（单位：万元）")
            % {"v": clean_text(raw)[:40], "max": decimal_text(MAX_DECIMAL)}
        )
    exponent = value.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -MAX_DECIMAL_PLACES
        and value != value.quantize(Decimal(10) ** -MAX_DECIMAL_PLACES)
    ):
        raise ValueProblem(
            _("“%(v)s”小数位数过多：最多 %(n)d 位")
            % {"v": clean_text(raw)[:40], "n": MAX_DECIMAL_PLACES}
        )
    return value


def decimal_text(value: Decimal) -> str:
    """Canonical text of an amount: no exponent, no trailing zeros (1.50 → 1.5)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
