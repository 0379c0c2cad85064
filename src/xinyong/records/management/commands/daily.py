"""`xinyong daily [--date YYYY-MM-DD] [--dry-run]`: the daily disclosure job.

Publishes the records that are due, ends those whose disclosure period has
passed, and writes one audit row with the counts. Idempotent: run it twice
and the second run changes nothing; skip a week and the next run catches up
(an expiry is dated by its `disclosure_end`, not by the day of the run).

Scheduling — once a day, shortly after midnight China time; no extra server:

cron (`/etc/cron.d/xinyong`)::

    CRON_TZ=Asia/Shanghai
    10 0 * * *  xinyong  /opt/xinyong/.venv/bin/xinyong daily >> /var/log/xinyong/daily.log 2>&1

systemd (`/etc/systemd/system/xinyong-daily.service` and `.timer`)::

    [Unit]
    Description=Xinyong daily disclosure job
    [Service]
    Type=oneshot
    User=xinyong
    EnvironmentFile=/etc/xinyong/env
    ExecStart=/opt/xinyong/.venv/bin/xinyong daily

    [Unit]
    Description=Run xinyong daily every night
    [Timer]
    OnCalendar=*-*-* 00:10:00 Asia/Shanghai
    Persistent=true
    [Install]
    WantedBy=timers.target

(`Persistent=true` runs a missed night at the next boot; the job catches up
either way.) With several app servers, schedule it on one machine only.

`--date` replays a past day (never a future one: that would end records still in their
period and move the change feed ahead of today); `--dry-run` prints the counts and changes
nothing (the run is rolled back).
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.records.tasks import run_daily


class Command(BaseCommand):
    # A property so that it is translated when asked, not at import (BaseCommand declares a
    # plain str attribute, hence the ignore).
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand declares a str attribute
        return _(
            "每日公示任务：公示到期的记录，停止公示期满的记录，并在审计日志中记一条汇总。"
            "可重复运行；漏跑几天后再运行会补上。请每天定时运行一次，例如 cron："
            "“10 0 * * * xinyong daily”，或 systemd 定时器（见 records/management/commands/daily.py）。"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help=_("按指定日期运行（YYYY-MM-DD，不晚于今天），默认今天（北京时间）")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("只显示将会公示和停止公示的条数，不做任何修改"),
        )

    def handle(
        self, *args: Any, date: str | None = None, dry_run: bool = False, **options: Any
    ) -> None:
        if date:
            try:
                day = dt.date.fromisoformat(date.strip())
            except ValueError:
                raise CommandError(
                    _("日期“%(value)s”不是 YYYY-MM-DD 形式") % {"value": date}
                ) from None
            if day > clock.today():
                raise CommandError(
                    _(
                        "日期 %(value)s 晚于今天（%(today)s）：不能提前运行每日公示任务，"
                        "否则会提前停止仍在公示期内的记录"
                    )
                    % {"value": day.isoformat(), "today": clock.today().isoformat()}
                )
        else:
            day = clock.today()
        with clock.pinned(day), transaction.atomic():
            counts = run_daily(day)
            # The dry run does all the work, then rolls it back, audit row included.
            transaction.set_rollback(dry_run)
        title = (
            _("%(day)s 每日公示任务试运行（未做任何修改），将会：")
            if dry_run
            else _("%(day)s 每日公示任务完成：")
        )
        lines = [
            title % {"day": day.isoformat()},
            _("  补算公示期 %(n)d 条") % {"n": counts.computed},
            _("  新公示 %(n)d 条（其中超过应公示日期 %(late)d 条）")
            % {"n": counts.published, "late": counts.published_late},
            _("  公示期满、停止公示 %(n)d 条") % {"n": counts.expired},
        ]
        if counts.lapsed_unpublished:
            lines.append(
                _("  报送时已过公示期、未予公示 %(n)d 条") % {"n": counts.lapsed_unpublished}
            )
        if counts.not_disclosed:
            lines.append(_("  依规不予公示 %(n)d 条") % {"n": counts.not_disclosed})
        if counts.without_rule:
            lines.append(
                _(
                    "  注意：%(n)d 条记录的决定日期没有适用的公示期规则，将一直公示，请信用办检查公示期规则"
                )
                % {"n": counts.without_rule}
            )
        self.stdout.write("\n".join(lines))
