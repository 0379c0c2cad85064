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


# Characters no clerk types and no record needs, refused in every text value:
# - NUL and the other C0/C1 control characters (tab, line feed and carriage return
#   excepted): SQLite cut `神农架\0…公司` at the NUL, PostgreSQL refuses it;
# - lone surrogates (U+D800–U+DFFF): not Unicode text at all, they cannot be stored as UTF-8;
# - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): they
#   make a name display as another one ("Trojan Source");
# - zero-width characters (U+200B–U+200D, U+2060, U+FEFF inside the text): two names
#   that look the same would be two subjects.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
    "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\u200b-\u200d\u2060\ufeff]"
)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


_UNSTORABLE = re.compile("[\\x00\\ud800-\\udfff]")


def storable(text: str) -> str:
    """`text` as it can be kept in a rejected row and shown to the clerk: a NUL or a lone
    surrogate (which neither UTF-8 nor PostgreSQL's JSON can hold) written as its escape."""
    if text.isprintable() or _UNSTORABLE.search(text) is None:
        return text
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def check_characters(text: str) -> None:
    """Refuse a value carrying a character of `_FORBIDDEN`, naming it and its position.

    Every text value of a row passes here (`RowValidator.validate`), from a file or the API.
    Cheap on the common path: `str.isprintable` (C speed) is true for most values, and
    every forbidden character is non-printable.
    """
    if text.isprintable():
        return
    match = _FORBIDDEN.search(text)
    if match is None:
        return
    char = match.group()
    where = {"code": f"U+{ord(char):04X}", "pos": match.start() + 1}
    if char in _BIDI:
        message = _(
            "第 %(pos)d 个字符是文字方向控制字符（%(code)s），会让文字显示成别的样子，请删除"
        )
    elif char in _ZERO_WIDTH:
        message = _("第 %(pos)d 个字符是看不见的零宽字符（%(code)s），请删除")
    elif "\ud800" <= char <= "\udfff":
        message = _("第 %(pos)d 个字符不是有效的 Unicode 字符（%(code)s，孤立的代理项）")
    else:
        message = _("第 %(pos)d 个字符是不可见的控制字符（%(code)s），请删除")
    raise ValueProblem(message % where)


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
