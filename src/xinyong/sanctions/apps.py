from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "xinyong.sanctions"
    label = "sanctions"
    verbose_name = _("联合奖惩")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xinyong.sanctions.reference import connect_signals

        post_migrate.connect(ensure_builtin, sender=self, dispatch_uid="sanctions.ensure_builtin")
        connect_signals()


def ensure_builtin(
    sender: AppConfig | None = None,
    *,
    apps: Apps | None = None,
    using: str = "default",
    **kwargs: object,
) -> None:
    """`post_migrate` receiver: put the shipped domains and memoranda back
    after a `flush` (as `records` does for its rule sets). Migration 0002
    loads them first."""
    from django.apps import apps as global_apps
    from django.db import connections

    from xinyong.sanctions.builtin import load_builtin

    apps = apps or global_apps
    try:
        apps.get_model("sanctions", "Memorandum")
    except LookupError:
        return
    if "sanctions_memorandum" not in connections[using].introspection.table_names():
        return
    load_builtin(apps)
