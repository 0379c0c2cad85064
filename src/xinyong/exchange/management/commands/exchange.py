"""`xinyong exchange`: the exchange with the provincial platform.

xinyong exchange status                      counts per state; last line `pending=N sent=N failed=N`
xinyong exchange deliver [--until-empty]      collect and send due messages now (as the worker does)
xinyong exchange pull [FEED]                  pull the inbound feeds (sxbzx, zdsswf, repair)
xinyong exchange reconcile [--day D]          build a day's reconciliation (default yesterday)
xinyong exchange files [--day D]              write a day's national-format files (default yesterday)
xinyong exchange simulator --port P [--fail-rate R] [--slow-ms M] [--feeds FILE | --demo-feeds]
"""

import datetime as dt
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.models import OutboxStatus
from xinyong.exchange import client, files, simulator
from xinyong.exchange.services import collect, delivery, inbound, reconcile


def _day(text: str | None) -> dt.date:
    if not text:
        return clock.today() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期应为 YYYY-MM-DD：%(day)s") % {"day": text}) from None


class Command(BaseCommand):
    help = "省级平台数据交换：status 状态，deliver 立即发送，pull 接收，reconcile 对账，files 生成文件，simulator 省级平台模拟器"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="各状态的消息数")
        deliver = sub.add_parser("deliver", help="收集并发送到期消息")
        deliver.add_argument("--until-empty", action="store_true", help="发送到没有到期消息为止")
        pull = sub.add_parser("pull", help="接收省级平台数据")
        pull.add_argument("feed", nargs="?", choices=sorted(inbound.FEEDS))
        rec = sub.add_parser("reconcile", help="生成对账报告")
        rec.add_argument("--day")
        fil = sub.add_parser("files", help="生成文件模式的交换文件")
        fil.add_argument("--day")
        sim = sub.add_parser("simulator", help="运行省级平台模拟器（HTTP 服务）")
        sim.add_argument("--port", type=int, required=True, help="端口（0 为任选空闲端口）")
        sim.add_argument("--host", default="127.0.0.1")
        sim.add_argument("--fail-rate", type=float, default=0.0, help="失败比例 0–1")
        sim.add_argument("--slow-ms", type=int, default=0, help="每次推送应答前等待的毫秒数")
        sim.add_argument("--page", type=int, default=100, help="数据源每页条数")
        sim.add_argument("--seed", type=int, default=None)
        sim.add_argument("--feeds", type=Path, help="数据源 JSON 文件：{名称: [条目…]}")
        sim.add_argument("--demo-feeds", action="store_true", help="载入演示数据源")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        getattr(self, f"_{action}")(options)

    def _status(self, options: dict[str, Any]) -> None:
        counts = delivery.counts()
        for value, label in OutboxStatus.choices:
            self.stdout.write(f"{label}：{counts[value]}")
        try:
            client.endpoint()
            self.stdout.write(_("接口模式：%(url)s") % {"url": settings.XINYONG_EXCHANGE_URL})
        except client.NotConfigured as exc:
            self.stdout.write(str(exc))
        failed = counts[OutboxStatus.FAILED] + counts[OutboxStatus.DEAD]
        self.stdout.write(
            f"pending={counts[OutboxStatus.PENDING]} sent={counts[OutboxStatus.SENT]} failed={failed}"
        )

    def _deliver(self, options: dict[str, Any]) -> None:
        collected = collect.collect_all()
        self.stdout.write(_("收集变更 %(n)s 条") % {"n": collected})
        while True:
            try:
                result = delivery.deliver_batch()
            except client.NotConfigured as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                _("送达 %(sent)s，失败 %(failed)s，停止重试 %(dead)s")
                % {"sent": result.sent, "failed": result.failed, "dead": result.dead}
            )
            if result.busy:
                self.stdout.write(_("另一进程正在发送"))
                break
            if not options["until_empty"] or not delivery.due().exists():
                break

    def _pull(self, options: dict[str, Any]) -> None:
        names = [options["feed"]] if options["feed"] else list(inbound.FEEDS)
        for name in names:
            run = inbound.inbound_pull(feed_name=name)
            self.stdout.write(
                f"{name}: {run.get_status_display()} received={run.received} applied={run.applied}"
                f" unchanged={run.unchanged} rejected={run.rejected} {run.error}".rstrip()
            )

    def _reconcile(self, options: dict[str, Any]) -> None:
        report = reconcile.reconciliation_build(day=_day(options["day"]))
        self.stdout.write(
            f"{report.day} sent={report.sent} confirmed={report.confirmed} matched={report.matched}"
            f" unconfirmed={len(report.unconfirmed)} unexpected={len(report.unexpected)}"
            f" ack_mismatch={len(report.ack_mismatch)} {report.error}".rstrip()
        )

    def _files(self, options: dict[str, Any]) -> None:
        for built in files.build_day(_day(options["day"])):
            self.stdout.write(f"{built.name} {built.size}")

    def _simulator(self, options: dict[str, Any]) -> None:
        if not 0 <= options["fail_rate"] <= 1:
            raise CommandError(_("--fail-rate 应在 0 到 1 之间"))
        province = simulator.Province(
            fail_rate=options["fail_rate"],
            slow_ms=max(options["slow_ms"], 0),
            page=max(options["page"], 1),
            seed=options["seed"],
        )
        if options["demo_feeds"]:
            province.feeds.update(simulator.demo_feeds())
        if options["feeds"]:
            try:
                province.feeds.update(json.loads(options["feeds"].read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise CommandError(_("无法读取数据源文件：%(error)s") % {"error": exc}) from None
        server = simulator.serve(host=options["host"], port=options["port"], province=province)
        port = server.server_address[1]
        self.stdout.write(f"simulator listening on http://{options['host']}:{port}")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            sys.stdout.flush()
