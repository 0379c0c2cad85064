from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_triggers(sender: AppConfig, using: str, **kwargs: object) -> None:
    from django.db import connections

    from xinyong.subjects.search.index import ensure_triggers

    ensure_triggers(connections[using])


class SubjectsConfig(AppConfig):
    name = "xinyong.subjects"
    label = "subjects"
    verbose_name = _("信用主体")

    def ready(self) -> None:
        # After any migration: a table rebuild of subjects on SQLite drops the
        # search index's triggers.
        post_migrate.connect(_ensure_search_triggers, sender=self)
