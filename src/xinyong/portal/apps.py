from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_triggers(sender, using, **kwargs) -> None:
    from django.db import connections

    from xinyong.portal.searchindex import ensure_triggers

    ensure_triggers(connections[using])


class PortalConfig(AppConfig):
    name = "xinyong.portal"
    label = "portal"
    verbose_name = _("门户网站")

    def ready(self) -> None:
        # After any migration: a table rebuild of subjects on SQLite drops our triggers.
        post_migrate.connect(_ensure_search_triggers, sender=self)
