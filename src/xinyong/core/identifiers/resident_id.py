"""居民身份证号码, GB 11643-1999 (and 港澳台居民居住证, which follow it)."""

import datetime as dt
from operator import mul
from typing import Any

from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.identifiers.base import (
    DIGITS,
    CodeCheck,
    normalize_code,
    region_part,
    wrong_check_message,
    wrong_length_message,
)
from xinyong.core.identifiers.regions import NATIONAL_REGION, PERMIT_REGIONS, region_name

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
EARLIEST_BIRTH_YEAR = 1900


def resident_id_check_char(first17: str) -> str:
    """Position 18 of a resident ID: "10X98765432"[Σ digit × weight mod 11]."""
    return _ID_CHECK[sum(map(mul, map(DIGITS.__getitem__, first17), _ID_WEIGHTS)) % 11]


def _id_region_name(code: str) -> str | None:
    return PERMIT_REGIONS.get(code) or (region_name(code) if code != NATIONAL_REGION else None)


def check_resident_id(raw: str) -> CodeCheck:
    """Check an 18-character 居民身份证号码 (also 港澳台居民居住证).

    6-digit address code · YYYYMMDD birth date (a real day, from 1900 up to
    today by `core.clock`) · 3-digit sequence (odd: male) · check digit or X.
    The 15-digit first-generation numbers are not accepted: they stopped
    being valid on 2013-01-01.
    """
    code = normalize_code(raw)
    errors: list[str] = []
    parts: dict[str, Any] = {}
    if not code:
        return CodeCheck(raw, code, "resident_id", False, [_("代码为空")], parts)
    if len(code) != 18:
        message = wrong_length_message(18, len(code))
        if len(code) == 15 and code.isdigit():
            message += _("（15位的第一代身份证号码已于2013年1月1日停止使用）")
        errors.append(message)
    bad = set()
    for i, c in enumerate(code):
        if c in DIGITS or (i == 17 and c == "X"):
            continue
        bad.add(i)
        if i == 17:
            errors.append(_("第18位字符“%(char)s”应为数字或X") % {"char": c})
        else:
            errors.append(_("第%(pos)d位字符“%(char)s”应为数字") % {"pos": i + 1, "char": c})
    if len(code) != 18:
        return CodeCheck(raw, code, "resident_id", False, errors, parts)

    region = code[:6]
    if not bad.intersection(range(6)):
        name = _id_region_name(region)
        if name is None:
            errors.append(_("第1–6位地址码“%(code)s”不是已知的行政区划代码") % {"code": region})
        else:
            parts["region"] = region_part(region, name)

    if not bad.intersection(range(6, 14)):
        text = code[6:14]
        try:
            birth = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            errors.append(_("第7–14位出生日期“%(date)s”不是有效日期") % {"date": text})
        else:
            if birth.year < EARLIEST_BIRTH_YEAR:
                errors.append(
                    _("出生日期%(date)s早于%(year)d年")
                    % {"date": birth.isoformat(), "year": EARLIEST_BIRTH_YEAR}
                )
            elif birth > clock.today():
                errors.append(_("出生日期%(date)s晚于今天") % {"date": birth.isoformat()})
            else:
                parts["birth_date"] = birth.isoformat()

    if not bad.intersection(range(14, 17)):
        male = int(code[16]) % 2 == 1
        parts["sex"] = {"code": "M" if male else "F", "name": "男" if male else "女"}

    if not bad.intersection(range(17)):
        want = resident_id_check_char(code[:17])
        if code[17] != want:
            errors.append(wrong_check_message(18, want, code[17]))
    return CodeCheck(raw, code, "resident_id", not errors, errors, parts)


def resident_id_with_check(first17: str) -> str:
    """Append the check digit to 17 digits (for tests and demo data)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"not 17 digits: {first17!r}")
    return first17 + resident_id_check_char(first17)
