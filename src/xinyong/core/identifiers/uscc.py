"""统一社会信用代码 (USCC), GB 32100-2015.

python-stdnum's `stdnum.cn.uscc` is not used: it rejects codes whose first
character is a letter (A…, N…, Y…) and skips the organisation-code check at
position 17. `check_uscc` runs up to a million times per import: its tables
are computed at import time and the region names are cached.
"""

from operator import mul
from typing import Any

from django.utils.translation import gettext as _

from xinyong.core.identifiers.base import (
    CodeCheck,
    bad_char_message,
    normalize_code,
    region_part,
    wrong_check_message,
    wrong_length_message,
)
from xinyong.core.identifiers.organization import organization_check_char
from xinyong.core.identifiers.regions import region_name

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …

# Position 1 (登记管理部门代码) and, per department, position 2 (机构类别代码).
DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商/市场监管",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {
        "1": "组级集体经济组织",
        "2": "村级集体经济组织",
        "3": "乡镇级集体经济组织",
        "9": "其他",
    },
    "Y": {"1": "其他"},
}
# (department name, category name) by the first two characters: one lookup.
_PREFIXES = {
    dep + cat: (DEPARTMENTS[dep], name)
    for dep, categories in CATEGORIES.items()
    for cat, name in categories.items()
}


def uscc_check_char(first17: str) -> str:
    """Position 18: Σ value × 3^(i−1) mod 31 over positions 1–17 (GB 32100-2015)."""
    total = sum(map(mul, map(_USCC_VALUES.__getitem__, first17), _USCC_WEIGHTS))
    return USCC_ALPHABET[-total % 31]


def uscc_with_checks(first16: str) -> str:
    """Append both check characters (positions 17 and 18) to 16 characters.

    `uscc_with_checks("9111000060003734")` → `91110000600037341L`. For demo
    data and tests; raises ValueError when the 16 characters cannot start a
    code (length, alphabet).
    """
    code = normalize_code(first16)
    if len(code) != 16 or any(c not in _USCC_VALUES for c in code):
        raise ValueError(f"not 16 characters of the USCC alphabet: {first16!r}")
    code += organization_check_char(code[8:])
    return code + uscc_check_char(code)


def check_uscc(raw: str) -> CodeCheck:
    """Check a 统一社会信用代码 against every rule of GB 32100-2015.

    Layout: 1 登记管理部门代码 · 2 机构类别代码 · 3–8 登记管理机关行政区划码 ·
    9–17 主体标识码 (a GB 11714 organisation code, 17 is its check) · 18 check.
    """
    code = normalize_code(raw)
    if len(code) == 18:
        prefix = _PREFIXES.get(code[:2])
        region = code[2:8]
        region_text = region_name(region) if prefix is not None else None
        if prefix is not None and region_text is not None:
            # The common case, a well-formed code: two sums and we are done.
            try:
                body_ok = organization_check_char(code[8:16]) == code[16]
                check_ok = uscc_check_char(code[:17]) == code[17]
            except KeyError:  # a character outside the alphabet
                body_ok = check_ok = False
            if body_ok and check_ok:
                department, category = prefix
                return CodeCheck(
                    raw,
                    code,
                    "uscc",
                    True,
                    [],
                    {
                        "department": {"code": code[0], "name": department},
                        "category": {"code": code[1], "name": category},
                        "region": {"code": region, "name": region_text},
                        "organization_code": code[8:17],
                    },
                )
    errors, parts = _uscc_problems(code)
    return CodeCheck(raw, code, "uscc", not errors, errors, parts)


def _uscc_problems(code: str) -> tuple[list[str], dict[str, Any]]:
    """Every rule, one by one; a part holding a foreign character is not checked further."""
    what = _("统一社会信用代码")
    errors: list[str] = []
    parts: dict[str, Any] = {}
    if not code:
        return [_("代码为空")], parts
    if len(code) != 18:
        errors.append(wrong_length_message(18, len(code)))
    bad = {i for i, c in enumerate(code) if c not in _USCC_VALUES}
    errors.extend(bad_char_message(i + 1, code[i], what) for i in sorted(bad))
    if len(code) != 18:
        return errors, parts

    department = code[0]
    if 0 not in bad:
        if department in DEPARTMENTS:
            parts["department"] = {"code": department, "name": DEPARTMENTS[department]}
            categories = CATEGORIES[department]
            category = code[1]
            if category in categories:
                parts["category"] = {"code": category, "name": categories[category]}
            elif 1 not in bad:
                errors.append(
                    _(
                        "第2位机构类别代码“%(code)s”不适用于登记管理部门“%(department)s”"
                        "（应为%(allowed)s）"
                    )
                    % {
                        "code": category,
                        "department": DEPARTMENTS[department],
                        "allowed": "、".join(categories),
                    }
                )
        else:
            errors.append(_("第1位登记管理部门代码“%(code)s”无效") % {"code": department})

    region = code[2:8]
    if not bad.intersection(range(2, 8)):
        if not region.isdigit():
            errors.append(
                _("第3–8位登记管理机关行政区划码“%(code)s”应为6位数字") % {"code": region}
            )
        elif (name := region_name(region)) is None:
            errors.append(
                _("第3–8位登记管理机关行政区划码“%(code)s”不是已知的行政区划代码")
                % {"code": region}
            )
        else:
            parts["region"] = region_part(region, name)

    if not bad.intersection(range(8, 16)):
        parts["organization_code"] = code[8:17]
        want = organization_check_char(code[8:16])
        if code[16] != want:
            errors.append(
                _("第17位（组织机构代码校验位）应为“%(want)s”，实为“%(got)s”")
                % {"want": want, "got": code[16]}
            )

    if not bad.intersection(range(17)):
        want = uscc_check_char(code[:17])
        if code[17] != want:
            errors.append(wrong_check_message(18, want, code[17]))
    return errors, parts
