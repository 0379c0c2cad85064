from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "xinyong.rights"
    label = "rights"
    verbose_name = _("信息主体权益")

    def ready(self) -> None:
        from xinyong.records.purge import register_purge_hook
        from xinyong.rights.purge_hook import HOOK

        register_purge_hook(HOOK)
