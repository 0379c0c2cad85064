"""`xinyong run`: migrate, load the demo data into an empty database, serve."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库；数据库为空时载入演示数据；启动平台（默认 http://127.0.0.1:8000）"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="监听地址和端口")
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")

    def handle(self, *args, addrport: str, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移到最新结构。")
        if not no_demo and not get_user_model().objects.exists():
            self.stdout.write("数据库为空，正在载入演示数据……")
            call_command("demo", stdout=self.stdout)
        self.stdout.write(f"平台启动：http://{addrport}/  （按 Ctrl+C 停止）")
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
