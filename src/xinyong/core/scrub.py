"""The free-text scrubber: personal data inside any text, masked.

Every text value on a public path passes `scrub_text` (DESIGN.md principle 5):
the public shape of a record (`records.selectors.public`) applies it to each
value, so the portal pages, the open-data API and CSV and the change feed get
it, and so do later reports and exchange exports that read that shape.

What it masks, anywhere in a text:

- resident ID numbers (居民身份证号码): 18 characters whose check character is
  right (`core.identifiers.resident_id_check_char`), with a plausible province
  and birth date; or a first-generation 15-digit number (province, YYMMDD)
  that is not a valid 工商注册号. Spaces or hyphens inside, full-width digits
  and a lower-case or full-width x are read through. Shown as
  `mask_id_number` shows an ID field (`4201**********123X`).
- mainland mobile numbers: 11 digits `1[3-9]…`, also after `86`, `+86` or
  `0086`, with spaces or hyphens inside (`138****5678`).
- bank card numbers: 16–19 digits that pass the Luhn check (`6222********1234`),
  written whole or in groups of up to 6 digits.
- the names given in `person_names` (a natural person's full name), wherever
  they appear (`李*`). Which names a record passes is decided by the record's
  public shape (`records.selectors.public.record_person_names`).

What it leaves alone: a USCC (18 characters, its own check; an all-digit USCC
that also passes Luhn stays clear), a valid 工商注册号, dates, amounts (a
number followed or preceded by a decimal point is not a candidate), document
numbers such as 神市监罚〔2024〕12号, and long numbers that fail every check.
A number written against Latin letters (`JY1429…`, a USCC's digits before its
final letter) is taken as part of a code and left alone, unless it is a whole
mobile number or an 18-character resident ID (`TEL13812345678`, `ID110…`).

Limits: another person's name typed into a text (a witness, a clerk) cannot
be told from other words and is not masked; a first-generation 15-digit ID
that happens to pass the 工商注册号 check (1 in 10) is taken for one.

Cost: the patterns are compiled once; a text without a digit skips the
number pass with one search, and a name costs one `in` test.
"""

import datetime as dt
import re
from collections.abc import Iterable

from stdnum.iso7064 import mod_11_10

from xinyong.core.identifiers import resident_id_check_char, uscc_check_char
from xinyong.core.masking import mask_bank_card, mask_id_number, mask_person_name, mask_phone

_D = "0-9\uff10-\uff19"  # ASCII and full-width digits (inside a character class)
_SEP = " \u3000\xa0\\-\u2010-\u2015\u2212\uff0d"  # spaces and hyphen look-alikes
_X = "Xx\uff38\uff58"

_L = "A-Za-z\uff21-\uff3a\uff41-\uff5a"  # Latin letters, also full-width
# A run of 11 digits or more, separators (up to three characters) between
# them, and a trailing x; not inside a longer number, nor a decimal's part.
# A run written against a Latin letter (`_scrub_match`: glued) may be part of an
# alphanumeric code (a USCC ending in a letter, JY… licence numbers): it is
# masked only as a mobile or an 18-character resident ID (`TEL13812345678`).
_RUN = re.compile(
    rf"(?<![{_D}])(?<![{_D}][.．])"
    rf"[{_D}](?:[{_SEP}]{{0,3}}[{_D}]){{10,}}(?:[{_SEP}]{{0,3}}[{_X}])?"
    rf"(?![{_D}])(?![.．][{_D}])"
)
_LETTER = re.compile(f"[{_L}]")
_HAS_DIGIT = re.compile(f"[{_D}]")
# A group of digits (with its x) inside a run: the runs are split at the
# separators when the whole run is not personal ("2024-01-15 13812345678").
_GROUP = re.compile(rf"[{_D}]+(?:[{_SEP}]{{0,3}}[{_X}])?")
# Digits and x to ASCII, separators dropped.
_NORMALIZE: dict[int, str | None] = {0xFF10 + i: str(i) for i in range(10)}
_NORMALIZE.update({ord(c): "X" for c in _X})
_NORMALIZE.update(
    {ord(c): None for c in " \u3000\xa0-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"}
)

# First two digits of a resident ID: provinces, and 81–83 for the residence
# permits of Hong Kong, Macao and Taiwan residents.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_MOBILE_SECOND = frozenset("3456789")


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_resident_id_18(code: str) -> bool:
    return (
        code[:2] in _PROVINCES
        and code[:17].isdigit()
        and code[6:8] in ("19", "20")
        and _is_date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
        and resident_id_check_char(code[:17]) == code[17]
    )


def _is_resident_id_15(code: str) -> bool:
    return (
        code[:2] in _PROVINCES
        and _is_date(1900 + int(code[6:8]), int(code[8:10]), int(code[10:12]))
        and not mod_11_10.is_valid(code)  # a valid 工商注册号 is an organisation's
    )


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _classify(code: str, glued: bool = False) -> str | None:
    """The kind of a normalised run (digits, maybe a final X): id, mobile, card
    or None. A run `glued` to a Latin letter is only a mobile or an 18-character ID."""
    n = len(code)
    if glued:
        kind = _classify(code)
        return kind if kind == "mobile" or (kind == "id" and n == 18) else None
    if code[-1] == "X":
        return "id" if n == 18 and _is_resident_id_18(code) else None
    if n == 11:
        return "mobile" if code[0] == "1" and code[1] in _MOBILE_SECOND else None
    if n == 13 and code.startswith("861") and code[3] in _MOBILE_SECOND:
        return "mobile"
    if n == 15:
        if code.startswith("00861") and code[5] in _MOBILE_SECOND:
            return "mobile"
        return "id" if _is_resident_id_15(code) else None
    if n == 18:
        if _is_resident_id_18(code):
            return "id"
        if uscc_check_char(code[:17]) == code[17]:
            return None  # an all-digit USCC
    if 16 <= n <= 19 and _luhn(code):
        return "card"
    return None


def _masked(kind: str, raw: str, code: str) -> str:
    if kind == "id":
        return mask_id_number(code)
    if kind == "card":
        return mask_bank_card(code)
    # A mobile number: keep a country prefix as written, mask the 11 digits.
    skip = len(code) - 11
    if skip:
        seen = 0
        for i, ch in enumerate(raw):
            if ch.translate(_NORMALIZE):
                seen += 1
                if seen == skip:
                    return raw[: i + 1] + " " + mask_phone(code[skip:])
    return mask_phone(code)


# A card number written in groups is written in groups of 3–6 digits
# (6222 0212 3456 7890); two 8-digit dates (20240115-20250114) are not one.
_CARD_GROUP = re.compile(rf"[{_D}]{{7,}}")


def _kind(raw: str, code: str, glued: bool) -> str | None:
    kind = _classify(code, glued)
    if kind == "card" and len(code) != len(raw) and _CARD_GROUP.search(raw):
        return None
    return kind


def _scrub_run(raw: str, glued: bool) -> str:
    code = raw.translate(_NORMALIZE)
    if len(code) < 11:
        return raw
    kind = _kind(raw, code, glued)
    if kind is not None:
        return _masked(kind, raw, code)
    groups = list(_GROUP.finditer(raw))
    if len(groups) < 2:
        return raw
    # Not personal as a whole: the longest personal stretch of whole groups
    # from each group on, left to right.
    out: list[str] = []
    done = 0  # raw[:done] is already in out
    i = 0
    while i < len(groups):
        matched = False
        for j in range(len(groups), i, -1):
            if i == 0 and j == len(groups):
                continue  # the whole run, already tried
            start, end = groups[i].start(), groups[j - 1].end()
            part = raw[start:end]
            part_code = part.translate(_NORMALIZE)
            if len(part_code) < 11:
                break  # shorter stretches are shorter still
            kind = _kind(part, part_code, glued)
            if kind is not None:
                out.append(raw[done:start])
                out.append(_masked(kind, part, part_code))
                done, i, matched = end, j, True
                break
        if not matched:
            i += 1
    out.append(raw[done:])
    return "".join(out)


def _scrub_match(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    glued = (start > 0 and _LETTER.match(text, start - 1) is not None) or (
        _LETTER.match(text, end) is not None
    )
    return _scrub_run(match.group(), glued)


def scrub_text(text: str, *, person_names: Iterable[str] = ()) -> str:
    """`text` with resident ID, mobile and bank card numbers masked, and each
    of `person_names` (two characters or more) masked wherever it appears."""
    if not text:
        return text
    if _HAS_DIGIT.search(text) is not None:
        text = _RUN.sub(_scrub_match, text)
    if person_names:
        for name in sorted({n.strip() for n in person_names}, key=len, reverse=True):
            if len(name) >= 2 and name in text:
                text = text.replace(name, mask_person_name(name))
    return text
