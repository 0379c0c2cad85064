"""组织机构代码, GB 11714-1997: 8 digits or capital letters and a check character."""

from operator import mul
from typing import Any

from django.utils.translation import gettext as _

from xinyong.core.identifiers.base import (
    DIGITS,
    CodeCheck,
    bad_char_message,
    normalize_code,
    wrong_check_message,
)

# GB 11714: digits are themselves, letters A=10 … Z=35.
ORG_VALUES = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK = {i: ("X" if i == 10 else str(i % 11)) for i in range(12)}  # 11 → "0"


def organization_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body."""
    total = sum(map(mul, map(ORG_VALUES.__getitem__, body8), _ORG_WEIGHTS))
    return _ORG_CHECK[11 - total % 11]


def check_organization_code(raw: str) -> CodeCheck:
    """Check a 9-character 组织机构代码: 8 digits or capital letters and a check
    character (0–9 or X), also written `XXXXXXXX-X`."""
    code = normalize_code(raw)
    errors: list[str] = []
    parts: dict[str, Any] = {}
    if not code:
        return CodeCheck(raw, code, "organization_code", False, [_("代码为空")], parts)
    if len(code) == 10 and code.count("-") == 1:
        # 9 characters and a hyphen that is not between the 8th and the 9th.
        return CodeCheck(
            raw,
            code,
            "organization_code",
            False,
            [_("连字符位置有误：组织机构代码应写作XXXXXXXX-X")],
            parts,
        )
    what = _("组织机构代码")
    if len(code) != 9:
        errors.append(_("长度应为9位（可写作XXXXXXXX-X），实为%(got)d位") % {"got": len(code)})
    bad = set()
    for i, c in enumerate(code):
        if i == 8 and len(code) == 9:
            if c not in DIGITS and c != "X":
                bad.add(i)
                errors.append(_("第9位校验码“%(char)s”应为数字或X") % {"char": c})
        elif c not in ORG_VALUES:
            bad.add(i)
            errors.append(bad_char_message(i + 1, c, what))
    if len(code) == 9 and not bad.intersection(range(8)):
        want = organization_check_char(code[:8])
        if code[8] != want:
            errors.append(wrong_check_message(9, want, code[8]))
    return CodeCheck(raw, code, "organization_code", not errors, errors, parts)


def organization_code_with_check(body8: str) -> str:
    """Append the GB 11714 check character to an 8-character body (tests, demo data)."""
    if len(body8) != 8 or any(c not in ORG_VALUES for c in body8):
        raise ValueError(f"not 8 digits or capital letters: {body8!r}")
    return body8 + organization_check_char(body8)
