"""The platform's identifier rules: normalise a code, tell its kind, check it.

- 统一社会信用代码 (USCC), GB 32100-2015: `check_uscc`.
- 居民身份证号码, GB 11643-1999: `check_resident_id`.
- 工商注册号 (15 digits, ISO 7064 MOD 11,10): `check_registration_number`.
- 组织机构代码 (9 characters), GB 11714-1997: `check_organization_code`.
- Any of them: `check_code` (the detection rule is in its docstring).

Every check answers a `CodeCheck` and reports *all* the problems it found,
each as a Chinese sentence that names the position. Nothing is ever
repaired: normalisation only removes what a spreadsheet adds around a code
(spaces, full-width forms, lower case), never turns an `O` into a `0`.

The package: `base` (result type, normalisation), `regions` (division
names), `uscc`, `resident_id`, `registration`, `organization`.
"""

from django.utils.translation import gettext as _

from xinyong.core.identifiers.base import (
    DIGITS,
    KIND_NAMES,
    CodeCheck,
    Kind,
    normalize_code,
)
from xinyong.core.identifiers.organization import (
    check_organization_code,
    organization_check_char,
    organization_code_with_check,
)
from xinyong.core.identifiers.regions import NATIONAL_REGION, region_name
from xinyong.core.identifiers.registration import (
    check_registration_number,
    registration_number_with_check,
)
from xinyong.core.identifiers.resident_id import (
    EARLIEST_BIRTH_YEAR,
    check_resident_id,
    resident_id_check_char,
    resident_id_with_check,
)
from xinyong.core.identifiers.uscc import (
    CATEGORIES,
    DEPARTMENTS,
    USCC_ALPHABET,
    check_uscc,
    uscc_check_char,
    uscc_with_checks,
)

__all__ = [
    "CATEGORIES",
    "DEPARTMENTS",
    "EARLIEST_BIRTH_YEAR",
    "KIND_NAMES",
    "NATIONAL_REGION",
    "USCC_ALPHABET",
    "CodeCheck",
    "Kind",
    "check_code",
    "check_organization_code",
    "check_registration_number",
    "check_resident_id",
    "check_uscc",
    "normalize_code",
    "organization_check_char",
    "organization_code_with_check",
    "region_name",
    "registration_number_with_check",
    "resident_id_check_char",
    "resident_id_with_check",
    "uscc_check_char",
    "uscc_with_checks",
]


def _looks_like_birth_date(text: str) -> bool:
    """YYYYMMDD with a year 1900–2099, month 01–12 and day 01–31."""
    return (
        text.isdigit()
        and text[:2] in ("19", "20")
        and "01" <= text[4:6] <= "12"
        and "01" <= text[6:8] <= "31"
    )


def check_code(raw: str) -> CodeCheck:
    """Tell the kind of a code from its normalised form and check it.

    - 18 characters: a valid USCC is a USCC. A resident ID is considered when
      the code has the shape of one (17 digits and a digit or X, with a
      plausible birth date YYYYMMDD at positions 7–14): if it passes as an ID
      it is an ID — even in the very rare case that it also passes as a USCC,
      because treating a person's number as an organisation's would publish
      it unmasked. When it passes neither, the kind whose check found fewer
      problems is answered (the ID on a tie), so that a mistyped ID number is
      reported as an ID number.
    - 15 characters: 工商注册号.
    - 9 characters, or 10 with one hyphen: 组织机构代码 (`XXXXXXXX-X` is
      normalised to 9 characters; a hyphen elsewhere is reported).
    - Anything else: `unknown`, with a reason.
    """
    code = normalize_code(raw)
    length = len(code)
    if length == 18:
        id_shaped = code[:17].isdigit() and (code[17] in DIGITS or code[17] == "X")
        if not (id_shaped and _looks_like_birth_date(code[6:14])):
            return check_uscc(raw)
        person = check_resident_id(raw)
        if person.valid:
            return person
        uscc = check_uscc(raw)
        if uscc.valid or len(uscc.errors) < len(person.errors):
            return uscc
        return person
    if length == 15:
        return check_registration_number(raw)
    if length == 9 or (length == 10 and code.count("-") == 1):
        return check_organization_code(raw)
    if not code:
        return CodeCheck(raw, code, "unknown", False, [_("代码为空")], {})
    return CodeCheck(
        raw,
        code,
        "unknown",
        False,
        [
            _(
                "无法识别的代码：长度为%(got)d位（统一社会信用代码和居民身份证号码为18位，"
                "工商注册号为15位，组织机构代码为9位）"
            )
            % {"got": length}
        ],
        {},
    )
