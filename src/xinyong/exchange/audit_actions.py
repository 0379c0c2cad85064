"""Audit actions of the exchange with the provincial platform."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

OUTBOX_RETRY = declare(
    "outbox_message.retry", label=_("重新发送省级平台报送消息"), object_type="core.OutboxMessage"
)
OUTBOX_DEAD = declare(
    "outbox_message.dead", label=_("省级平台报送消息停止重试"), object_type="core.OutboxMessage"
)
# One row per delivery run with its counts (not one per message).
EXCHANGE_DELIVER = declare(
    "exchange.deliver", label=_("向省级平台报送（批次）"), object_type="exchange.delivery"
)
INBOUND_PULL = declare(
    "inbound_run.pull", label=_("接收省级平台数据"), object_type="exchange.InboundRun"
)
RECONCILIATION_BUILD = declare(
    "reconciliation.build", label=_("生成对账报告"), object_type="exchange.Reconciliation"
)
EXCHANGE_FILE_BUILD = declare(
    "exchange_file.build", label=_("生成交换文件"), object_type="exchange.file"
)
EXCHANGE_FILE_DOWNLOAD = declare(
    "exchange_file.download", label=_("下载交换文件"), object_type="exchange.file"
)
