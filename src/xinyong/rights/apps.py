from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "xinyong.rights"
    label = "rights"
    verbose_name = _("信息主体权益")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xinyong.records.purge import register_purge_hook
        from xinyong.rights.builtin import ensure_repair_rules
        from xinyong.rights.commitment_texts import ensure_after_migrate
        from xinyong.rights.purge_hook import HOOK

        register_purge_hook(HOOK)
        post_migrate.connect(ensure_repair_rules, sender=self, dispatch_uid="rights.repair_rules")
        post_migrate.connect(
            ensure_after_migrate, sender=self, dispatch_uid="rights.ensure_default_texts"
        )
