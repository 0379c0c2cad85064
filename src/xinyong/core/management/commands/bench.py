"""`xinyong bench NAME …`: run a benchmark of the repository's `bench/` folder.

Benchmarks print their figures; they are never timed unit tests. They run
from a source checkout (the `bench/` folder beside `src/`).
"""

import importlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

import xinyong

BENCHMARKS = {
    "check": "bench.check",
    "ingest": "bench.ingest",
    "lock": "bench.lock",
    "oversight": "bench.oversight",
    "search": "bench.search",
    "upload": "bench.upload",
}


def _bench_root() -> Path:
    root = Path(xinyong.__file__).resolve().parents[2]
    if not (root / "bench").is_dir():
        raise CommandError("找不到 bench/ 目录：基准测试需要在源码目录中运行")
    return root


class Command(BaseCommand):
    help = "运行基准测试并打印结果：" + "、".join(BENCHMARKS)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="benchmark", required=True)
        root = None
        for name, module_name in BENCHMARKS.items():
            try:
                root = root or _bench_root()
            except CommandError:
                return
            if str(root) not in sys.path:
                sys.path.insert(0, str(root))
            module = importlib.import_module(module_name)
            summary = (module.__doc__ or name).splitlines()[0]
            module.add_arguments(sub.add_parser(name, help=summary))

    def handle(self, *args: object, benchmark: str, **options: object) -> None:
        module = importlib.import_module(BENCHMARKS[benchmark])
        module.run(stdout=self.stdout, **options)
