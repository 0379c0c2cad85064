"""`xinyong run`: migrate, load the demo data into an empty database, serve.

It also starts one background worker beside the server (`xinyong worker`, a
child process stopped with the server): it imports the uploaded files and
runs the daily disclosure job at start and then every hour, so a platform
started this way needs no cron and no other server. A production deployment
runs its workers as services of their own (docs/deploy.md) and starts its
web servers without one (`--no-worker`).
"""

import os
import subprocess
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from xinyong.core.pdf import cjk_font_installed

# Seconds the worker has to finish (or give back) its task when the server stops.
WORKER_STOP_WAIT = 10


class Command(BaseCommand):
    help = "迁移数据库；数据库为空时载入演示数据；启动平台（默认 http://127.0.0.1:8000）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="监听地址和端口")
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")
        parser.add_argument(
            "--no-worker",
            "--no-scheduler",
            action="store_true",
            dest="no_worker",
            help="不在旁边启动后台任务工作进程（文件导入、每日公示；须另行运行 xinyong worker）",
        )

    def handle(
        self, *args: object, addrport: str, no_demo: bool, no_worker: bool, **options: object
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移到最新结构。")
        if not no_demo and not get_user_model().objects.exists():
            self.stdout.write("数据库为空，正在载入演示数据……")
            call_command("demo", stdout=self.stdout)
        if not cjk_font_installed():
            self.stderr.write(
                "警告：未找到中文字体，信用报告和月度通报的 PDF 将无法生成；"
                "请安装 fonts-noto-cjk（./dev run 会自动安装）后重启。"
            )
        worker = None if no_worker else start_worker()
        if worker is not None:
            self.stdout.write(
                "后台任务工作进程已启动：处理上传的文件，每日公示任务启动时运行一次，此后每小时一次。"
            )
        self.stdout.write(f"平台启动：http://{addrport}/  （按 Ctrl+C 停止）")
        try:
            call_command("runserver", addrport, use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                stop_worker(worker)


def start_worker() -> subprocess.Popen[bytes]:
    """`xinyong worker` as a child process that ends with this one (it also
    dies with it if this process is killed)."""
    return subprocess.Popen(  # noqa: S603 — our own interpreter and fixed arguments
        [sys.executable, "-m", "xinyong", "worker", "--parent", str(os.getpid()), "-v0"],
        # Its own session: Ctrl+C reaches the server only, which then stops
        # the worker with one SIGTERM (finish the task under way, or be killed).
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen[bytes], wait: float = WORKER_STOP_WAIT) -> int:
    """Ask the worker to stop (it finishes the task under way), and kill it if
    it takes longer than `wait` seconds: an import it was running is rolled
    back and retried by the next worker. Returns its exit code."""
    if worker.poll() is None:
        worker.terminate()
        try:
            return worker.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            worker.kill()
    return worker.wait()
