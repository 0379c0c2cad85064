"""`xinyong run`: migrate, load the demo data into an empty database, serve.

It also runs the daily disclosure job (`xinyong daily`) in the background,
at start and then every hour: the job is idempotent and cheap when nothing
is due, so a platform started this way needs no cron and no extra server.
A production deployment schedules `xinyong daily` itself (docs/deploy.md)
and starts with `--no-scheduler`.
"""

import io
import logging
import threading

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库；数据库为空时载入演示数据；启动平台（默认 http://127.0.0.1:8000）"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="监听地址和端口")
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="不在后台每小时运行每日公示任务"
        )

    def handle(self, *args, addrport: str, no_demo: bool, no_scheduler: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移到最新结构。")
        if not no_demo and not get_user_model().objects.exists():
            self.stdout.write("数据库为空，正在载入演示数据……")
            call_command("demo", stdout=self.stdout)
        if not no_scheduler:
            threading.Thread(target=_hourly_daily_job, name="xinyong-daily", daemon=True).start()
            self.stdout.write("每日公示任务已在后台运行（启动时一次，此后每小时一次）。")
        self.stdout.write(f"平台启动：http://{addrport}/  （按 Ctrl+C 停止）")
        call_command("runserver", addrport, use_reloader=False, use_threading=True)


def _hourly_daily_job(stop: threading.Event | None = None) -> None:
    from django.db import connection

    stop = stop or threading.Event()
    while True:
        try:
            call_command("daily", stdout=io.StringIO())
        except Exception:  # a failed run is retried next hour; the server stays up
            logging.getLogger(__name__).exception("daily job failed")
        finally:
            connection.close()
        if stop.wait(3600):
            return
