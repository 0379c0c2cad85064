"""`xinyong catalog`: the credit information catalog on the command line.

xinyong catalog                 list the items
xinyong catalog XZCF            one item: its settings, fields and versions
xinyong catalog load-builtin    create the missing built-in code lists and items
"""

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from xinyong.catalog import selectors
from xinyong.catalog.builtin import load_builtin
from xinyong.catalog.models import CatalogItem
from xinyong.catalog.templatetags.catalog_tags import schema_value
from xinyong.core.errors import NotFoundError


class Command(BaseCommand):
    help = (
        "信用信息目录：列出目录事项；xinyong catalog 编码 查看字段和版本；"
        "xinyong catalog load-builtin 载入内置目录"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", nargs="?", help="目录编码（如 XZCF），或 load-builtin 载入内置目录"
        )

    def handle(self, *args: Any, target: str | None = None, **options: Any) -> None:
        if target is None:
            self._list()
        elif target == "load-builtin":
            self._load()
        else:
            self._item(target)

    def _list(self) -> None:
        items = list(
            CatalogItem.objects.select_related("current_version")
            .annotate(department_count=Count("departments", distinct=True))
            .order_by("code")
        )
        if not items:
            self.stdout.write("目录为空。可运行 xinyong catalog load-builtin 载入内置目录。")
            return
        header = ("编码", "名称", "类别", "性质", "公开属性", "当前版本", "报送部门数", "状态")
        rows = [
            (
                item.code,
                item.name,
                item.get_category_display(),
                item.get_nature_display(),
                item.get_disclosure_display(),
                f"v{item.current_version.number}" if item.current_version else "未发布",
                str(item.department_count),
                "启用" if item.is_active else "停用",
            )
            for item in items
        ]
        self._table(header, rows)
        self.stdout.write(f"共 {len(items)} 个目录事项。")

    def _item(self, code: str) -> None:
        try:
            item = selectors.item_get(code)
        except NotFoundError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{item.code} {item.name}")
        self.stdout.write(
            f"类别：{item.get_category_display()}　性质：{item.get_nature_display()}　"
            f"公开属性：{item.get_disclosure_display()}　"
            f"状态：{'启用' if item.is_active else '停用'}"
        )
        deadline = f"报送时限：{item.submit_within} 个{item.get_submit_unit_display()}"
        if item.publish_within_workdays:
            deadline += f"　公示时限：{item.publish_within_workdays} 个工作日"
        self.stdout.write(deadline)
        if item.legal_basis:
            self.stdout.write(f"依据：{item.legal_basis}")
        departments = "、".join(item.departments.order_by("name").values_list("name", flat=True))
        self.stdout.write(f"报送部门：{departments or '尚未指定'}")
        self.stdout.write("")
        self.stdout.write("字段：")
        rows = []
        for index, field in enumerate(selectors.item_fields(item), start=1):
            rule = ""
            if field.code_list is not None:
                rule = f"{field.code_list.name}：{schema_value(field.code_list.values)}"
            elif field.identifier_kind:
                rule = field.identifier_kind
            elif field.pattern:
                rule = field.pattern
            rows.append(
                (
                    str(index),
                    field.label,
                    field.key,
                    field.get_type_display(),
                    "必填" if field.required else "",
                    "公开" if field.is_public else "不公开",
                    schema_value(field.masking, "masking"),
                    schema_value(field.role, "role"),
                    rule,
                )
            )
        self._table(
            ("#", "中文名", "字段名", "类型", "必填", "公开", "遮蔽", "用途", "取值/规则"), rows
        )
        self.stdout.write("")
        self.stdout.write("版本：")
        versions = [
            (
                f"v{v.number}" + ("（当前）" if v.pk == item.current_version_id else ""),
                timezone.localtime(v.created_at).strftime("%Y-%m-%d %H:%M"),
                str(v.created_by) if v.created_by else "系统",
                f"{len(v.schema.get('fields', []))} 个字段",
                v.note,
            )
            for v in selectors.item_versions(item)
        ]
        self._table(("版本", "发布时间", "发布人", "字段数", "变更说明"), versions)

    def _load(self) -> None:
        result = load_builtin()
        for code in result.code_lists_created:
            self.stdout.write(f"新建代码表：{code}")
        for code in result.items_created:
            self.stdout.write(f"新建目录事项：{code}")
        for code in result.items_upgraded:
            self.stdout.write(f"内置目录事项发布新版本（新增字段）：{code}")
        self.stdout.write(
            f"载入内置目录：新建代码表 {len(result.code_lists_created)} 个、"
            f"目录事项 {len(result.items_created)} 个；已存在未改动的代码表 "
            f"{len(result.code_lists_kept)} 个、目录事项 {len(result.items_kept)} 个。"
        )

    def _table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = [
                str(cell) + " " * (widths[i] - _width(str(cell))) for i, cell in enumerate(row)
            ]
            self.stdout.write("  ".join(cells).rstrip())


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
