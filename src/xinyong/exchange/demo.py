"""Demo exchange: the demo's 双公示 records, new subjects and list changes go
into the outbox through the real producers, and part of it is delivered to
a simulator of the provincial platform started for the occasion (in this
process, on a free port), so the outbox page shows sent messages with the
province's acknowledgements beside pending ones; the simulator's demo feeds
(two court listings, a tax listing, a repair result) are pulled and applied
through lists' services, and today's reconciliation is made.

`xinyong run` leaves `XINYONG_EXCHANGE_URL` unset, so the rest waits; start
`xinyong exchange simulator --port 8765 --demo-feeds` and set
`XINYONG_EXCHANGE_URL=http://127.0.0.1:8765 XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP=1`
to watch the worker send it (README)."""

from django.core.management.base import OutputWrapper
from django.test import override_settings

from xinyong.core import clock
from xinyong.exchange import simulator
from xinyong.exchange.models import InboundRun
from xinyong.exchange.services import collect, delivery, inbound, reconcile

DELIVERED = 40  # messages sent during the demo load; the rest stay pending


def load(*, seed: int, stdout: OutputWrapper) -> None:
    if InboundRun.objects.exists():
        stdout.write("交换演示数据已存在，跳过。")
        return
    collected = collect.collect_all()
    province = simulator.Province(seed=seed)
    province.feeds.update(simulator.demo_feeds())
    server = simulator.serve(port=0, province=province)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        # The demo's own simulator, for this load only (the platform's setting is untouched).
        with override_settings(XINYONG_EXCHANGE_URL=url, XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP=True):
            sent = delivery.deliver_batch(limit=DELIVERED).sent
            runs = inbound.inbound_pull_all()
            reconcile.reconciliation_build(day=clock.today())
    finally:
        server.shutdown()
        server.server_close()
    applied = sum(run.applied for run in runs)
    stdout.write(
        f"交换演示数据：收集 {collected} 条变更，向模拟的省级平台送达 {sent} 条，"
        f"其余待发送；接收名单和修复结果 {applied} 条。"
    )
