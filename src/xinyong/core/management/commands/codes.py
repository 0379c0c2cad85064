"""`xinyong codes check CODE…`: check identifiers, one line per code.

xinyong codes check 91110000600037341L
    -> 91110000600037341L ok 工商/市场监管 · 企业 · 北京市
xinyong codes check 91110000600037341X
    -> 91110000600037341X error 第18位校验码应为“L”，实为“X”

Exit status 0 when every code is valid, 1 otherwise, 2 on a usage error.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core import identifiers

SEPARATOR = " · "
USAGE_EXAMPLE = "xinyong codes check 91110000600037341L"


class Command(BaseCommand):
    # A code check depends on nothing configured: answer it even while another
    # part of the configuration is broken.
    requires_system_checks = []

    # A property so that it is translated when --help asks, in the language active then
    # (argparse needs a str: a lazy string crashed its formatter; BaseCommand declares an attribute).
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand declares a str attribute
        return _(
            "代码校验：check 识别并校验统一社会信用代码、居民身份证号码、工商注册号、组织机构代码"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", metavar="{check}")
        check = sub.add_parser(
            "check",
            help=_("校验一个或多个代码"),
            description=_(
                "每个代码打印一行：规范化后的代码、ok 或 error，"
                "以及解析结果（登记管理部门 · 机构类别 · 行政区划）或全部错误原因。"
                "全部有效时退出码为 0，否则为 1。"
            ),
        )
        check.add_argument("codes", nargs="*", metavar="CODE", help=_("要校验的代码"))

    def handle(self, *args: Any, subcommand: str | None = None, **options: Any) -> None:
        if subcommand != "check":
            raise CommandError(
                _("请指定子命令，如：%(example)s") % {"example": USAGE_EXAMPLE}, returncode=2
            )
        self.handle_check(codes=options.get("codes") or [])

    def handle_check(self, *, codes: list[str]) -> None:
        if not codes:
            raise CommandError(
                _("请至少给出一个代码，如：%(example)s") % {"example": USAGE_EXAMPLE},
                returncode=2,
            )
        invalid = 0
        for raw in codes:
            result = identifiers.check_code(raw)
            self.stdout.write(format_line(result))
            invalid += not result.valid
        if invalid:
            summary = _("%(invalid)d个代码无效（共%(total)d个）")
            self.stderr.write(summary % {"invalid": invalid, "total": len(codes)})
            # The lines above are the whole answer: exit 1 without a traceback
            # or Django's "CommandError:" line.
            sys.exit(1)


def format_line(result: identifiers.CodeCheck) -> str:
    """`<normalised code> ok <parts>` or `<normalised code> error <reasons>`."""
    code = result.normalized or _("（空）")
    if not result.valid:
        return f"{code} error {'；'.join(result.errors)}"
    return f"{code} ok {SEPARATOR.join(describe_parts(result))}"


def describe_parts(result: identifiers.CodeCheck) -> list[str]:
    """The decoded parts as words, in the order of the code."""
    parts = result.parts
    if result.kind == "uscc":
        return [
            parts["department"]["name"],
            parts["category"]["name"],
            parts["region"]["name"],
        ]
    words = [identifiers.KIND_NAMES[result.kind]]
    if "region" in parts:
        words.append(parts["region"]["name"])
    if "birth_date" in parts:
        words.append(parts["birth_date"])
    if "sex" in parts:
        words.append(parts["sex"]["name"])
    return words
