"""Administrative division names (GB/T 2260) from python-stdnum's `cn/loc` table."""

import functools
import re

from stdnum import numdb

# Codes that are not divisions but that registration authorities and ID
# numbers use: national authorities (e.g. SAMR) register with 100000.
NATIONAL_REGION = "100000"
_EXTRA_REGIONS = {NATIONAL_REGION: "全国"}
# 港澳台居民居住证 numbers (2018) follow GB 11643 with these address codes.
PERMIT_REGIONS = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾地区"}
# City-level placeholders that add nothing to a county's full name.
_PLACEHOLDERS = frozenset(
    {"市辖区", "县", "省直辖县级行政单位", "自治区直辖县级行政单位", "省直辖行政单位"}
)
_VALIDITY_PREFIX = re.compile(r"^\[[0-9]*-[0-9]*\]")


@functools.cache
def _divisions() -> numdb.NumDB:
    return numdb.get("cn/loc")


def _division_name(code: str) -> str | None:
    """The table's own name of a 6-digit code, without its `[1983-]` validity note."""
    info = _divisions().info(code)
    if len(info) < 2:
        return None
    name = info[1][1].get("county")
    if not name:
        return None
    # A renamed division lists its names oldest first: `万县区,[1998-]万州区`.
    return _VALIDITY_PREFIX.sub("", name.split(",")[-1])


@functools.lru_cache(maxsize=16384)
def region_name(code: str) -> str | None:
    """Full name of a GB/T 2260 code, or None when the code is unknown.

    `110000` → 北京市, `350200` → 福建省厦门市, `110105` → 北京市朝阳区,
    `429021` → 湖北省神农架林区, `100000` → 全国. Codes of divisions that no
    longer exist (e.g. 崇文区 110103) are known: old registrations and ID
    numbers carry them. Placeholders (市辖区, 县, 省直辖县级行政单位) are never
    shown: `440101` (广州市's 市辖区) → 广东省广州市, `110100` → 北京市,
    `429000` → 湖北省. A renamed division shows its current name.
    """
    if code in _EXTRA_REGIONS:
        return _EXTRA_REGIONS[code]
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    own = _division_name(code)
    if own is None:
        return None
    province = _division_name(code[:2] + "0000")
    if province is None or code[2:] == "0000":
        return own
    if own in _PLACEHOLDERS:
        own = ""
    if code[4:] == "00":
        return province + own
    city = _division_name(code[:4] + "00")
    if city is None or city in _PLACEHOLDERS or city == province:
        return province + own
    return province + city + own
