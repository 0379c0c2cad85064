from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "xinyong.exchange"
    label = "exchange"
    verbose_name = _("省级平台数据交换")
