"""`xinyong worker`: run a background worker (imports, the daily job, …).

It runs the queued tasks one at a time, enqueues the periodic ones (the
daily disclosure job: at start and every hour) and, when it starts, retries
or fails the work of workers that died. On PostgreSQL run as many as the
machines allow; on SQLite one. `xinyong run` starts one beside its server.
Stop it with SIGTERM or Ctrl+C: it finishes the task under way first (a
second signal ends that task, which the next worker retries).
"""

import argparse
import signal

from django.core.management.base import BaseCommand, CommandParser

from xinyong.core.processes import die_with_parent
from xinyong.core.tasks.worker import Worker


class Command(BaseCommand):
    help = "运行后台任务工作进程（文件导入、每日公示等）；PostgreSQL 上可同时运行多个"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", default="default", help="处理哪些队列，逗号分隔（默认 default）"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时每隔几秒查看一次（默认 1）"
        )
        parser.add_argument(
            "--until-empty", action="store_true", help="处理完队列中已有的任务后退出"
        )
        # `xinyong run` starts its worker with its own process id: the worker
        # ends with the server (even if the server died before it started).
        parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)

    def handle(
        self,
        *args: object,
        queue: str,
        interval: float,
        until_empty: bool,
        parent: int | None,
        **options: object,
    ) -> None:
        if parent is not None:
            die_with_parent(parent, signal.SIGTERM)
        worker = Worker(
            queue_names=[name.strip() for name in queue.split(",") if name.strip()],
            interval=interval,
            until_empty=until_empty,
            parent=parent,
        )
        worker.configure_signals()
        if options["verbosity"]:
            self.stdout.write(f"后台任务工作进程 {worker.worker_id} 已启动（队列：{queue}）。")
        count = worker.run()
        if options["verbosity"]:
            self.stdout.write(
                f"后台任务工作进程 {worker.worker_id} 已停止，共处理 {count} 个任务。"
            )
