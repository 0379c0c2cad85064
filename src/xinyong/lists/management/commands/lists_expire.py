"""`xinyong lists_expire [--date YYYY-MM-DD]`: mark expired the list entries
past their period (the worker runs the same job hourly, `lists.tasks.expire`).
Idempotent; a missed day is caught up (each expiry is dated by its period)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.lists.services import list_entries_expire


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand declares a str attribute
        return _("名单到期移出：将有效期已满的名单条目标记为“已到期”。可重复运行。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=_("按指定日期运行（YYYY-MM-DD，不晚于今天）"))

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        day = clock.today()
        if date:
            try:
                day = dt.date.fromisoformat(date.strip())
            except ValueError:
                raise CommandError(
                    _("日期“%(value)s”不是 YYYY-MM-DD 形式") % {"value": date}
                ) from None
            if day > clock.today():
                raise CommandError(_("日期不能晚于今天"))
        with clock.pinned(day):
            count = list_entries_expire(day)
        self.stdout.write(_("%(day)s 名单到期移出 %(n)d 条") % {"day": day.isoformat(), "n": count})
