"""Characters no person types and no stored text needs: refused wherever text comes in.

`hidden_character` is the one rule, for every text value of an import (`ingest.values`)
and every text field of an API body (`core.schemas.PlainText`).
"""

import re

from django.utils.translation import gettext as _

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


def hidden_character(text: str) -> str | None:
    """The Chinese reason why `text` is refused (the character of `_FORBIDDEN` it carries and
    its position), or None.

    Cheap on the common path: `str.isprintable` (C speed) is true for most values, and
    every forbidden character is non-printable.
    """
    if text.isprintable():
        return None
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
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
    return message % where
