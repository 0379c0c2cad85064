"""工商注册号: the 15-digit business registration number used before the USCC."""

from typing import Any

from django.utils.translation import gettext as _
from stdnum.iso7064 import mod_11_10

from xinyong.core.identifiers.base import (
    DIGITS,
    CodeCheck,
    normalize_code,
    region_part,
    wrong_check_message,
    wrong_length_message,
)
from xinyong.core.identifiers.regions import region_name


def check_registration_number(raw: str) -> CodeCheck:
    """Check a 15-digit 工商注册号: a 6-digit registration-authority region code
    (100000 for national registrations) and an ISO 7064 MOD 11,10 check digit."""
    code = normalize_code(raw)
    errors: list[str] = []
    parts: dict[str, Any] = {}
    if not code:
        return CodeCheck(raw, code, "registration_number", False, [_("代码为空")], parts)
    if len(code) != 15:
        errors.append(wrong_length_message(15, len(code)))
    bad = {i for i, c in enumerate(code) if c not in DIGITS}
    errors.extend(
        _("第%(pos)d位字符“%(char)s”应为数字") % {"pos": i + 1, "char": code[i]}
        for i in sorted(bad)
    )
    if len(code) == 15:
        region = code[:6]
        if not bad.intersection(range(6)):
            name = region_name(region)
            if name is None:
                errors.append(
                    _("第1–6位登记机关行政区划码“%(code)s”不是已知的行政区划代码")
                    % {"code": region}
                )
            else:
                parts["region"] = region_part(region, name)
        if not bad:
            want = mod_11_10.calc_check_digit(code[:14])
            if code[14] != want:
                errors.append(wrong_check_message(15, want, code[14]))
    return CodeCheck(raw, code, "registration_number", not errors, errors, parts)


def registration_number_with_check(first14: str) -> str:
    """Append the ISO 7064 MOD 11,10 check digit to 14 digits (tests, demo data)."""
    if len(first14) != 14 or not first14.isdigit():
        raise ValueError(f"not 14 digits: {first14!r}")
    return first14 + mod_11_10.calc_check_digit(first14)
