"""Penalty categories (处罚类别): the 2021 names of 行政处罚法 art. 9, the
pre-2021 names mapped to them, several categories of one decision split, for
the tier rules of `records.disclosure.rules` (re-exported there)."""

import re
from dataclasses import dataclass

# Separators between the categories of one decision: `警告;罚款`, `警告、罚款`, `警告，罚款`.
_CATEGORY_SEPARATORS = re.compile(r"[;；、，,]")
# Pre-2021 category names (行政处罚法 1996/2017 art. 8) in the 2021 names (art. 9).
# An old name that covers two new categories maps to a pair: (when 处罚内容
# mentions 吊销, when it does not); the second is the lesser one, in the
# subject's favour, and either choice is marked inferred.
OLD_CATEGORIES: dict[str, tuple[str, str]] = {
    "暂扣或者吊销许可证": ("吊销许可证件", "暂扣许可证件"),
    "暂扣或者吊销执照": ("吊销许可证件", "暂扣许可证件"),
    "暂扣或吊销许可证": ("吊销许可证件", "暂扣许可证件"),
    "暂扣或吊销执照": ("吊销许可证件", "暂扣许可证件"),
}
# The same category in other words, mapped without doubt.
CATEGORY_SYNONYMS: dict[str, str] = {
    "吊销许可证": "吊销许可证件",
    "吊销执照": "吊销许可证件",
    "吊销营业执照": "吊销许可证件",
    "暂扣许可证": "暂扣许可证件",
    "暂扣执照": "暂扣许可证件",
    "暂扣营业执照": "暂扣许可证件",
}
# What a stated tier (失信程度) may say besides a tier's label.
SIMPLE_PROCEDURE = "简易程序"


def split_categories(text: str) -> list[str]:
    """The categories of one decision's 处罚类别, in order, without repeats.
    `其他-…` keeps its own text whole (`其他-责令改正、限期整改` is one)."""
    parts: list[str] = []
    for raw in _CATEGORY_SEPARATORS.split(text):
        part = raw.strip()
        if not part:
            continue
        if parts and parts[-1].startswith("其他-") and not _is_category_name(part):
            parts[-1] = f"{parts[-1]}、{part}"
        elif part not in parts:
            parts.append(part)
    return parts


def _is_category_name(part: str) -> bool:
    return (
        part in OLD_CATEGORIES
        or part in CATEGORY_SYNONYMS
        or part in _CATEGORIES_2021
        or part.startswith("其他")
    )


_CATEGORIES_2021 = frozenset(
    {
        "警告",
        "通报批评",
        "罚款",
        "没收违法所得",
        "没收非法财物",
        "暂扣许可证件",
        "降低资质等级",
        "吊销许可证件",
        "限制开展生产经营活动",
        "责令停产停业",
        "责令关闭",
        "限制从业",
        "行政拘留",
        "其他",
    }
)


@dataclass(frozen=True, slots=True)
class Categories:
    """A decision's categories in the 2021 names, and whether any was inferred
    (an old name that covers two new categories, decided from 处罚内容)."""

    names: tuple[str, ...]
    inferred: bool


def current_categories(text: str, content: str = "") -> Categories:
    """The 2021 categories of a 处罚类别 text (old names mapped, several split)."""
    names: list[str] = []
    inferred = False
    for part in split_categories(text):
        if part in OLD_CATEGORIES:
            revoked, suspended = OLD_CATEGORIES[part]
            name = revoked if "吊销" in content else suspended
            inferred = True
        else:
            name = CATEGORY_SYNONYMS.get(part, part)
        if name not in names:
            names.append(name)
    return Categories(tuple(names), inferred)


def needs_content(text: str) -> bool:
    """Whether the tier of this 处罚类别 text depends on 处罚内容."""
    return any(old in text for old in OLD_CATEGORIES)
