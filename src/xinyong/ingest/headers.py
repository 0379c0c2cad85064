"""Matching a file's header row to an item's fields, by label, key or alias."""

import re
import unicodedata
from collections.abc import Sequence

from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_DROP = re.compile(r"[\s*＊:：]+")
# How far down a sheet a header row may stand (titles and notes above it).
HEADER_SEARCH_ROWS = 10


def header_key(text: object) -> str:
    """`* 行政相对人代码_1（统一社会信用代码）` → `行政相对人代码_1(统一社会信用代码)`."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    return _DROP.sub("", text).lower()


def field_lookup(schema: dict) -> dict[str, dict]:
    """Every accepted header form → its field."""
    lookup: dict[str, dict] = {}
    for field in schema["fields"]:
        for name in (field["label"], field["key"], *field.get("aliases", [])):
            lookup.setdefault(header_key(name), field)
        # A template header may carry the unit or a note in brackets: 罚款金额（万元）.
        base = header_key(field["label"]).split("(")[0]
        if base:
            lookup.setdefault(base, field)
    return lookup


def match_header(schema: dict, row: Sequence[object]) -> tuple[list[tuple[int, dict]], list[str]]:
    """The (column, field) pairs of a header row and the headers not recognised."""
    lookup = field_lookup(schema)
    matched: list[tuple[int, dict]] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for column, cell in enumerate(row):
        key = header_key(cell)
        if not key:
            continue
        field = lookup.get(key) or lookup.get(key.split("(")[0])
        if field is None or field["key"] in seen:
            unknown.append(str(cell).strip())
            continue
        seen.add(field["key"])
        matched.append((column, field))
    return matched, unknown


def find_header(
    schema: dict, rows: Sequence[Sequence[object]]
) -> tuple[int, list[tuple[int, dict]], list[str]]:
    """Find the header row among the first rows: the first that names at least
    two fields (or the only field). Returns its index (0-based), the matches
    and the unrecognised headers; raises ApplicationError when none is found
    or a required column is missing."""
    needed = min(2, len(schema["fields"]))
    for index, row in enumerate(rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        matched, unknown = match_header(schema, row)
        if len(matched) >= needed:
            present = {field["key"] for _col, field in matched}
            missing = [
                f["label"] for f in schema["fields"] if f["required"] and f["key"] not in present
            ]
            if missing:
                raise ApplicationError(
                    "missing_columns",
                    _("表头缺少必填列：%(cols)s（请使用“%(item)s”的模板）")
                    % {"cols": "、".join(missing), "item": schema["name"]},
                    {"missing": missing},
                )
            return index, matched, unknown
    raise ApplicationError(
        "no_header",
        _("在前 %(n)d 行中找不到可识别的表头。请使用“%(item)s”的模板，表头如：%(example)s")
        % {
            "n": HEADER_SEARCH_ROWS,
            "item": schema["name"],
            "example": "、".join(f["label"] for f in schema["fields"][:4]),
        },
    )
