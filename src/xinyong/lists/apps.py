from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "xinyong.lists"
    label = "lists"
    verbose_name = _("红黑名单")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from xinyong.lists.public import forget_fed_types

        post_save.connect(forget_fed_types, sender="lists.ListType", dispatch_uid="lists.saved")
        post_delete.connect(forget_fed_types, sender="lists.ListType", dispatch_uid="lists.deleted")
        post_migrate.connect(ensure_list_types, sender=self, dispatch_uid="lists.ensure_list_types")


def ensure_list_types(
    sender: AppConfig | None = None,
    *,
    apps: Apps | None = None,
    using: str = "default",
    **kwargs: object,
) -> None:
    """`post_migrate` receiver: put the shipped list types back after a `flush`
    (as the catalog and the disclosure rule sets do). Migration 0002 loads them first."""
    from django.apps import apps as global_apps
    from django.db import connections

    from xinyong.lists.builtin import load_builtin

    apps = apps or global_apps
    try:
        apps.get_model("lists", "ListType")
    except LookupError:
        return
    if "lists_listtype" not in connections[using].introspection.table_names():
        return
    load_builtin(apps)
