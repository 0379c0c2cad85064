"""`xinyong workdays`: count working days, check a day, import a year's schedule.

xinyong workdays add 2025-09-30 7      -> 2025-10-16
xinyong workdays check 2025-10-11      -> 工作日（调休上班：国庆节）…
xinyong workdays years                 -> the official years and their source
xinyong workdays import 2027.csv --year 2027 --source "国务院办公厅关于2027年部分节假日安排的通知"
"""

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.core import clock, services, workdays
from xinyong.core.audit import command_actor
from xinyong.core.errors import ApplicationError

# A count beyond this is a typo, not a deadline (10000 working days ≈ 40 years).
MAX_N = 10000

IMPORT_HELP = gettext_lazy("""\
CSV 文件格式（UTF-8 或 Excel 保存的 GBK/GB18030 编码）：

    日期,类型,名称
    2027-01-01,休,元旦
    2027-02-06,班,春节

  第一行为表头，列名为“日期”“类型”“名称”（名称可省略，顺序不限；
  也可写 date,kind,name）。
  日期：YYYY-MM-DD 或 YYYY/MM/DD。
  类型：“休”表示放假休息（含节日前后连休的日子），“班”表示调休上班的
  星期六或星期日；也接受 holiday / workday。
  名称：节日名称，可省略，最多 50 个字。
  只需列出与“周一至周五上班”规则不同的日子；空行和以 # 开头的行会被忽略。
  所有日期必须属于 --year 指定的年份。

导入会替换该年度原有的全部记录（包括软件包内置的安排），一行有错则整个文件
不导入，错误信息中的行号与表格软件中的行号一致（表头为第 1 行）。
上面的日期仅为格式示例，不是官方安排。""")


class Command(BaseCommand):
    # A calendar question does not depend on URLs, templates or the admin:
    # answer it even while another part of the configuration is broken.
    requires_system_checks = []

    # A property so that it is translated when --help asks, in the language active then
    # (argparse needs a str: a lazy string crashed its formatter; BaseCommand declares an attribute).
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand declares a str attribute
        return _(
            "工作日计算（法定期限按工作日计算，决定当日不计入）："
            "add 推算日期，check 查询某日，years 列出有官方安排的年份，import 导入年度节假日安排"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{add,check,years,import}"
        )

        add = sub.add_parser(
            "add",
            help=_("推算某日之后第 N 个工作日（当日不计入）"),
            description=_(
                "打印 DATE 之后第 N 个工作日（DATE 当日不计入；N 为负数时向前推算）。"
                "涉及没有官方节假日安排的年份时，同时提示结果非正式。"
            ),
        )
        add.add_argument("date", metavar="DATE", help=_("起算日期，YYYY-MM-DD"))
        add.add_argument("n", metavar="N", help=_("工作日天数（整数，可为负数）"))

        check = sub.add_parser(
            "check",
            help=_("查询某日是否为工作日及原因"),
            description=_("打印 DATE 是否为工作日、原因，以及依据是否为官方安排。"),
        )
        check.add_argument("date", metavar="DATE", help=_("日期，YYYY-MM-DD"))

        sub.add_parser(
            "years",
            help=_("列出有官方节假日安排的年份及来源"),
            description=_("列出有官方节假日安排的年份，以及每年来自软件包内置数据还是信用办导入。"),
        )

        imp = sub.add_parser(
            "import",
            help=_("导入某年度的节假日安排（CSV）"),
            description=_("从 CSV 文件导入国务院办公厅公布的某年度节假日安排。"),
            epilog=str(IMPORT_HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        imp.add_argument("file", metavar="FILE", help=_("CSV 文件路径"))
        imp.add_argument("--year", metavar="YYYY", help=_("年份，如 2027（必填）"))
        imp.add_argument(
            "--source",
            metavar=_("依据"),
            help=_("依据文件名称，如“国务院办公厅关于2027年部分节假日安排的通知”（必填）"),
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        handlers: dict[str, Callable[..., None]] = {
            "add": self.handle_add,
            "check": self.handle_check,
            "years": self.handle_years,
            "import": self.handle_import,
        }
        handler = handlers[subcommand]
        try:
            handler(**options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    # -- subcommands ----------------------------------------------------------------

    def handle_add(self, *, date: str, n: str, **_options: Any) -> None:
        start = _parse_date_argument(date)
        try:
            count = int(n.strip())
        except ValueError:
            raise CommandError(
                _("参数 N：“%(value)s”不是整数，应为工作日天数，如 7") % {"value": n}
            ) from None
        if abs(count) > MAX_N:
            raise CommandError(
                _("参数 N：%(value)d 超出范围，应在 -%(max)d 至 %(max)d 之间")
                % {"value": count, "max": MAX_N}
            )
        result = workdays.add_workdays(start, count)
        line = result.date.isoformat()
        if not result.official:
            line += _("（%(warning)s）") % {
                "warning": workdays.unofficial_warning(result.unofficial_years)
            }
        self.stdout.write(line)

    def handle_check(self, *, date: str, **_options: Any) -> None:
        info = workdays.day_info(_parse_date_argument(date))
        weekday = workdays.WEEKDAY_NAMES[info.date.weekday()]
        self.stdout.write(
            _("%(date)s %(weekday)s：%(status)s")
            % {
                "date": info.date.isoformat(),
                "weekday": weekday,
                "status": _status_text(info),
            }
        )
        self.stdout.write(_source_text(info))

    def handle_years(self, **_options: Any) -> None:
        years = workdays.official_years()
        self.stdout.write(_("有官方节假日安排的年份（共%(count)d个）：") % {"count": len(years)})
        for item in years:
            if item.source == workdays.Source.IMPORTED:
                at = (
                    timezone.localtime(item.imported_at, clock.SHANGHAI)
                    if item.imported_at
                    else None
                )
                detail = _("信用办导入：%(basis)s（%(at)s导入%(override)s）") % {
                    "basis": item.basis,
                    "at": f"{at:%Y-%m-%d %H:%M} " if at else "",
                    "override": _("，替代软件包内置数据") if item.overrides_package else "",
                }
            else:
                detail = _("软件包内置：%(package)s") % {"package": item.basis}
            self.stdout.write(_("%(year)d年  %(detail)s") % {"year": item.year, "detail": detail})
        self.stdout.write(_("其他年份没有官方安排，按周一至周五推算，结果非正式。"))

    def handle_import(
        self, *, file: str, year: str | None, source: str | None, **_options: Any
    ) -> None:
        if not year:
            raise CommandError(_("缺少参数 --year：请指定年份，如 --year 2027"))
        try:
            year_number = int(year.strip())
        except ValueError:
            raise CommandError(
                _("参数 --year：“%(value)s”不是有效年份，应为四位数字，如 2027") % {"value": year}
            ) from None
        source = (source or "").strip()
        if not source:
            raise CommandError(
                _(
                    "缺少参数 --source：请填写依据，"
                    "如 --source “国务院办公厅关于%(year)d年部分节假日安排的通知”"
                )
                % {"year": year_number}
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("参数 FILE：文件“%(path)s”不存在") % {"path": file})
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("参数 FILE：无法读取文件“%(path)s”：%(error)s") % {"path": file, "error": exc}
            ) from exc

        entries = services.calendar_csv_parse(data, year=year_number)
        result = services.calendar_year_import(
            year=year_number, source=source, days=entries, actor=command_actor()
        )
        self.stdout.write(
            _("已导入%(year)d年节假日安排：休息日 %(holidays)d 天，调休上班 %(workdays)d 天。")
            % {"year": year_number, "holidays": result.holidays, "workdays": result.workdays}
        )
        self.stdout.write(_("依据：%(source)s") % {"source": result.calendar_year.source})
        if result.replaced_days:
            self.stdout.write(
                _("已替换该年度原有的 %(count)d 条记录。") % {"count": result.replaced_days}
            )
        if result.overrides_package:
            self.stdout.write(_("该年度今后以导入的安排为准，不再使用软件包内置数据。"))
        self.stdout.write(
            _("正在运行的平台进程最迟 %(minutes)d 分钟后使用新安排。")
            % {"minutes": max(1, workdays.CACHE_SECONDS // 60)}
        )


def _parse_date_argument(value: str) -> dt.date:
    day = workdays.parse_date(value)
    if day is None:
        raise CommandError(
            _("参数 DATE：“%(value)s”不是有效日期，应写作 YYYY-MM-DD，如 2025-09-30")
            % {"value": value}
        )
    return day


def _status_text(info: workdays.DayInfo) -> str:
    Reason = workdays.Reason
    if info.reason == Reason.HOLIDAY:
        if info.name:
            return _("休息日（节假日：%(name)s）") % {"name": info.name}
        return _("休息日（节假日）")
    if info.reason == Reason.MAKEUP:
        if info.name:
            return _("工作日（调休上班：%(name)s）") % {"name": info.name}
        return _("工作日（调休上班）")
    if info.reason == Reason.WEEKEND:
        return _("休息日（周末）")
    return _("工作日（周一至周五）")


def _source_text(info: workdays.DayInfo) -> str:
    Source = workdays.Source
    if not info.official:
        text = workdays.unofficial_warning([info.date.year])
        if info.source == Source.ADJUSTED:
            text = _("依据：信用办在节假日表中单独设定的日期。") + text
        return text
    if info.source == Source.IMPORTED:
        calendar = workdays.get_calendar()
        basis = calendar.imported_years[info.date.year][0]
        return _("依据：%(basis)s（信用办导入，官方安排）") % {"basis": basis}
    if info.source == Source.ADJUSTED:
        return _("依据：信用办在节假日表中单独设定的日期（该年度其余日期依据软件包内置的官方安排）")
    return _("依据：国务院办公厅节假日安排（%(package)s 软件包内置，官方安排）") % {
        "package": workdays.get_calendar().package_label
    }
