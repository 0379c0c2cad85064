"""What every identifier check shares: the result type, normalisation, messages."""

from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext as _

Kind = Literal["uscc", "resident_id", "registration_number", "organization_code", "unknown"]

KIND_NAMES: dict[str, str] = {
    "uscc": "统一社会信用代码",
    "resident_id": "居民身份证号码",
    "registration_number": "工商注册号",
    "organization_code": "组织机构代码",
    "unknown": "未知代码",
}


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The answer of every check.

    `parts` holds what could be decoded even when the code is invalid, e.g.
    `{"department": {"code": "9", "name": "工商/市场监管"}, ...}`.
    """

    raw: str
    normalized: str
    kind: Kind
    valid: bool
    errors: list[str] = field(default_factory=list)
    parts: dict[str, Any] = field(default_factory=dict)


# -- normalisation ------------------------------------------------------------------

# Python's own whitespace (str.isspace), written out so that `translate`
# can delete it in one pass; U+3000 is the ideographic (full-width) space.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# Invisible characters that copying from web pages and Word leaves behind:
# soft hyphen, Mongolian vowel separator, zero-width space/non-joiner/joiner,
# word joiner, byte-order mark.
_INVISIBLE = "\xad\u180e\u200b\u200c\u200d\u2060\ufeff"
# Hyphen look-alikes, written as a separator in 组织机构代码 (`12345678-9`).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"

_NORMALIZE_TABLE: dict[int, int | None] = {ord(c): None for c in _WHITESPACE + _INVISIBLE}
_NORMALIZE_TABLE.update({ord(c): ord("-") for c in _DASHES})
# Lower-case ASCII and full-width letters and digits; only these: str.upper()
# would also turn a Turkish "ı" into "I", which is a repair.
_NORMALIZE_TABLE.update({ord(c): ord(c.upper()) for c in "abcdefghijklmnopqrstuvwxyz"})
_NORMALIZE_TABLE.update({0xFF10 + i: ord("0") + i for i in range(10)})
_NORMALIZE_TABLE.update({0xFF21 + i: ord("A") + i for i in range(26)})
_NORMALIZE_TABLE.update({0xFF41 + i: ord("A") + i for i in range(26)})


def normalize_code(raw: str) -> str:
    """The code as it should be compared and stored.

    Removes whitespace anywhere (also U+3000 and no-break spaces) and
    zero-width characters, turns full-width letters and digits into ASCII and
    lower case into upper case, and drops the hyphen of an organisation code
    written `12345678-9`. Any other character is kept as it is, so that the
    check can name it.
    """
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raw = str(raw)
    # Fast path: what the import mostly sees is already clean.
    if raw.isascii() and raw.isalnum() and (raw.isupper() or raw.isdigit()):
        return raw
    code = raw.translate(_NORMALIZE_TABLE)
    if len(code) == 10 and code[8] == "-" and code.count("-") == 1:
        code = code[:8] + code[9:]
    return code


# -- messages shared by the checks ------------------------------------------------

DIGITS = {str(i): i for i in range(10)}


def bad_char_message(pos: int, char: str, what: str) -> str:
    return _("第%(pos)d位字符“%(char)s”不是%(what)s允许的字符") % {
        "pos": pos,
        "char": char,
        "what": what,
    }


def wrong_check_message(pos: int, want: str, got: str) -> str:
    return _("第%(pos)d位校验码应为“%(want)s”，实为“%(got)s”") % {
        "pos": pos,
        "want": want,
        "got": got,
    }


def wrong_length_message(want: int, got: int) -> str:
    return _("长度应为%(want)d位，实为%(got)d位") % {"want": want, "got": got}


def region_part(code: str, name: str) -> dict[str, str]:
    return {"code": code, "name": name}
