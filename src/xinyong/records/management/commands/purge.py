"""`xinyong purge [--date YYYY-MM-DD] [--dry-run]`: delete the negative records
past their retention (遗忘, `records.purge`). The worker runs it every few
hours (`records.tasks.purge`); the command is for a replay or a look first.

`--date` replays a past day, never a future one (that would delete records
still within their retention); `--dry-run` counts what is due and deletes
nothing."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.records.purge import purge_run


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand declares a str attribute
        return _(
            "删除超过保存期限（默认行为或处罚结束后 5 年，可按目录事项设置）的失信信息，"
            "只留下不含个人信息的删除记录。后台任务每隔几小时自动运行。"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help=_("按指定日期运行（YYYY-MM-DD，不晚于今天），默认今天（北京时间）")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只显示将会删除的条数，不做任何修改")
        )

    def handle(
        self, *args: Any, date: str | None = None, dry_run: bool = False, **options: Any
    ) -> None:
        day = clock.today()
        if date:
            try:
                day = dt.date.fromisoformat(date.strip())
            except ValueError:
                raise CommandError(
                    _("日期“%(value)s”不是 YYYY-MM-DD 形式") % {"value": date}
                ) from None
            if day > clock.today():
                raise CommandError(
                    _("日期 %(value)s 晚于今天（%(today)s）：不能提前删除仍在保存期限内的信息")
                    % {"value": day.isoformat(), "today": clock.today().isoformat()}
                )
        with clock.pinned(day):
            counts = purge_run(day, dry_run=dry_run)
        title = (
            _("%(day)s 失信信息删除试运行（未做任何修改），将会删除：")
            if dry_run
            else _("%(day)s 失信信息删除完成：")
        )
        lines = [title % {"day": day.isoformat()}, _("  记录 %(n)d 条") % {"n": counts.records}]
        lines += [f"    {code}: {n}" for code, n in sorted(counts.by_item.items())]
        if not dry_run:
            lines.append(_("  不再有任何记录的信用主体 %(n)d 个") % {"n": counts.subjects})
        if counts.kept:
            lines.append(_("  有未办结申请、暂缓删除 %(n)d 条") % {"n": counts.kept})
        self.stdout.write("\n".join(lines))
