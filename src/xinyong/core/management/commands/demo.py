"""`xinyong demo`: load the demo data of every app, idempotently and deterministically.

Each app that has demo data provides a module `<app>.demo` with a function
`load(*, seed: int, stdout) -> None`; they run in the order of INSTALLED_APPS,
so an app's demo can rely on the apps above it.
"""

import importlib
import random
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，结果确定）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2018, help="随机种子（默认 2018）")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("xinyong."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            random.seed(seed)
            with transaction.atomic():
                module.load(seed=seed, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
