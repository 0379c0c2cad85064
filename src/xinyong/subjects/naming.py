"""The matching form of a subject's name.

`name_key` runs once per imported row, so it is a few C-level string
operations: NFKC (full-width letters, digits and brackets
become half-width), one `str.translate` that removes whitespace and maps
every bracket to `(`/`)` (only when a regex finds one), a strip of leading
and trailing punctuation, and an upper-casing of Latin letters.

`有限责任公司` and `有限公司` stay distinct in the key (they are different
words on a licence) but `name_variants_match` treats them as the same name:
data entry often writes one for the other. `股份有限公司` is not a variant
of either.
"""

import re
import unicodedata

from xinyong.core.columns import max_length
from xinyong.subjects.models import Subject

NAME_KEY_MAX = max_length(Subject, "name_key")

_OPEN = "(（[［【〔〖｛{〈《"
_CLOSE = ")）]］】〕〗｝}〉》"


def _translate_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Whitespace of every kind, plus the invisible characters that spreadsheets
    # carry (zero-width space and joiners, BOM, soft hyphen).
    for code in range(0x3001):
        if chr(code).isspace():
            table[code] = None
    for ch in "\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad":
        table[ord(ch)] = None
    for ch in _OPEN:
        table[ord(ch)] = "("
    for ch in _CLOSE:
        table[ord(ch)] = ")"
    return table


_TABLE = _translate_table()
# Most names have no space nor bracket: a regex search finds that and skips
# `translate` (the measurement is in bench/README.md).
_NEEDS_TRANSLATE = re.compile("[" + "".join(re.escape(chr(code)) for code in _TABLE) + "]")

# Punctuation dropped at either end ("某某公司。", "“某某公司”", "-某某公司-");
# brackets are kept: "某某公司(分公司)" ends with one that belongs to the name.
_PUNCTUATION_BLOCKS = ((0x20, 0x2FF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFE10, 0xFE6F))
_EDGE_PUNCTUATION = (
    "".join(
        chr(code)
        for start, end in _PUNCTUATION_BLOCKS
        for code in range(start, end + 1)
        if unicodedata.category(chr(code)).startswith("P") and chr(code) not in "()"
    )
    + "`~^|"
)

_LONG_FORM = "有限责任公司"
_SHORT_FORM = "有限公司"


def name_key(name: str) -> str:
    """The matching form of a name.

    `"  某某（神农架）有限公司 "` → `"某某(神农架)有限公司"`; `"ａｂｃ 【北京】"` → `"ABC(北京)"`.
    """
    if not name:
        return ""
    key = unicodedata.normalize("NFKC", name)
    if _NEEDS_TRANSLATE.search(key) is not None:
        key = key.translate(_TABLE)
    return key.strip(_EDGE_PUNCTUATION).upper()[:NAME_KEY_MAX]


def variant_form(key: str) -> str:
    """The form of a key under which the accepted variants are equal."""
    return key.replace(_LONG_FORM, _SHORT_FORM) if _LONG_FORM in key else key


def name_variants_match(a: str, b: str) -> bool:
    """Whether two names are the same name, accepting 有限责任公司 ↔ 有限公司."""
    return variant_form(name_key(a)) == variant_form(name_key(b))
