"""The rules a catalog item and its fields must follow.

Each function returns `{attribute: Chinese message}` (empty when all is
well); services turn it into an `ApplicationError`, the admin into form
errors. Messages name the field (“字段名：…”), as the user sees it.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogField, CatalogItem, CodeList
from xinyong.catalog.schema import IDENTIFIER_KINDS, header_forms
from xinyong.core.columns import verbose_name

FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
ITEM_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,29}$")
CODE_LIST_CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
DATE_ROLES = {
    CatalogField.Role.DECISION_DATE,
    CatalogField.Role.VALID_FROM,
    CatalogField.Role.VALID_TO,
}


def _named(attribute: str, message: str) -> str:
    return f"{verbose_name(CatalogField, attribute)}：{message}"


def field_problems(field: CatalogField, siblings: Iterable[CatalogField]) -> dict[str, str]:
    """Check one field against the rules and against the item's other fields."""
    problems: dict[str, str] = {}

    def add(attribute: str, message: str) -> None:
        problems.setdefault(attribute, _named(attribute, message))

    if not FIELD_KEY.match(field.key or ""):
        add("key", _("“%(v)s”须以小写字母开头，只含小写字母、数字和下划线") % {"v": field.key})
    if not (field.label or "").strip():
        add("label", _("请填写中文名"))
    if not isinstance(field.aliases, list) or not all(isinstance(a, str) for a in field.aliases):
        add("aliases", _("须为文本列表"))
    if field.type not in CatalogField.Type.values:
        add("type", _("“%(v)s”不是有效的类型") % {"v": field.type})
    if field.role not in CatalogField.Role.values:
        add("role", _("“%(v)s”不是有效的用途") % {"v": field.role})
    if field.masking not in CatalogField.Masking.values:
        add("masking", _("“%(v)s”不是有效的遮蔽方式") % {"v": field.masking})
    if field.max_length is not None and field.max_length < 1:
        add("max_length", _("须为正整数"))
    if field.pattern:
        try:
            re.compile(field.pattern)
        except re.error as exc:
            add(
                "pattern",
                _("“%(v)s”不是有效的正则表达式（%(e)s）") % {"v": field.pattern, "e": exc},
            )
    if field.type == CatalogField.Type.CODE_LIST and field.code_list_id is None:
        add("code_list", _("类型为代码表的字段必须指定代码表"))
    if field.type != CatalogField.Type.CODE_LIST and field.code_list_id is not None:
        add("code_list", _("只有类型为代码表的字段才能指定代码表"))
    if field.type == CatalogField.Type.IDENTIFIER:
        if field.identifier_kind not in IDENTIFIER_KINDS:
            add(
                "identifier_kind",
                _("证照代码字段的代码类型须为 %(kinds)s 之一")
                % {"kinds": "、".join(IDENTIFIER_KINDS)},
            )
    elif field.identifier_kind:
        add("identifier_kind", _("只有类型为证照代码的字段才能指定代码类型"))
    if field.role in DATE_ROLES and field.type != CatalogField.Type.DATE:
        add("role", _("用途为“%(r)s”的字段类型须为日期") % {"r": field.get_role_display()})
    if field.role == CatalogField.Role.SUBJECT_USCC and not (
        field.type == CatalogField.Type.IDENTIFIER and field.identifier_kind == "uscc"
    ):
        add("role", _("用途为“统一社会信用代码”的字段须为证照代码、代码类型 uscc"))

    others = [f for f in siblings if f.pk is None or f.pk != field.pk]
    label = (field.label or "").strip()
    for other in others:
        if other.key == field.key:
            add("key", _("本事项已有字段名为“%(v)s”的字段") % {"v": field.key})
        if other.label.strip() == label:
            add("label", _("本事项已有名为“%(v)s”的字段") % {"v": label})
        if field.role and other.role == field.role:
            add(
                "role",
                _("本事项的字段“%(other)s”已用作“%(r)s”，每种用途只能有一个字段")
                % {"other": other.label, "r": field.get_role_display()},
            )
    if "aliases" not in problems and "label" not in problems:
        mine = header_forms(field.key, label, field.aliases)
        for other in others:
            clash = mine & header_forms(other.key, other.label, other.aliases)
            if clash:
                add(
                    "aliases",
                    _("表头“%(v)s”与字段“%(other)s”重复，导入时无法区分")
                    % {"v": "、".join(sorted(clash)), "other": other.label},
                )
                break
    return problems


def item_problems(item: CatalogItem, field_keys: Iterable[str] | None = None) -> dict[str, str]:
    """Check an item's settings; `field_keys` are its fields' keys (for key_fields)."""
    problems: dict[str, str] = {}

    def add(attribute: str, message: str) -> None:
        problems.setdefault(attribute, f"{verbose_name(CatalogItem, attribute)}：{message}")

    if not ITEM_CODE.match(item.code or ""):
        add(
            "code",
            _("“%(v)s”须以大写字母开头，只含大写字母、数字和下划线，2 至 30 位") % {"v": item.code},
        )
    if not (item.name or "").strip():
        add("name", _("请填写名称"))
    for attribute, enum in (
        ("category", CatalogItem.Category),
        ("nature", CatalogItem.Nature),
        ("disclosure", CatalogItem.Disclosure),
        ("submit_unit", CatalogItem.DeadlineUnit),
    ):
        if getattr(item, attribute) not in enum.values:
            add(attribute, _("“%(v)s”不是有效的取值") % {"v": getattr(item, attribute)})
    if item.submit_within is None or item.submit_within < 1:
        add("submit_within", _("须为正整数"))
    if item.is_restricted and item.disclosure == CatalogItem.Disclosure.PUBLIC:
        add("disclosure", _("限制查阅的目录事项不得公开"))
    if item.publish_within_workdays is not None and item.publish_within_workdays < 1:
        add("publish_within_workdays", _("须为正整数，或留空表示不限"))
    if not isinstance(item.key_fields, list):
        add("key_fields", _("须为字段名列表"))
    elif field_keys is not None:
        known = set(field_keys)
        unknown = [k for k in item.key_fields if k not in known]
        if unknown:
            add("key_fields", _("“%(v)s”不是本事项的字段") % {"v": "、".join(map(str, unknown))})
        if len(set(item.key_fields)) != len(item.key_fields):
            add("key_fields", _("字段重复"))
    return problems


def code_list_problems(code_list: CodeList) -> dict[str, str]:
    problems: dict[str, str] = {}

    def add(attribute: str, message: str) -> None:
        problems.setdefault(attribute, f"{verbose_name(CodeList, attribute)}：{message}")

    if not CODE_LIST_CODE.match(code_list.code or ""):
        add(
            "code", _("“%(v)s”须以小写字母开头，只含小写字母、数字和下划线") % {"v": code_list.code}
        )
    if not (code_list.name or "").strip():
        add("name", _("请填写名称"))
    values = code_list.values
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v.strip() for v in values)
    ):
        add("values", _("至少须有一个取值，每个取值不能为空"))
    elif len(set(values)) != len(values):
        duplicates = sorted({v for v in values if values.count(v) > 1})
        add("values", _("取值“%(v)s”重复") % {"v": "、".join(duplicates)})
    prefixes = code_list.prefixes
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        add("prefixes", _("须为非空文本列表"))
    return problems
