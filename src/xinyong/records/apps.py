from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "xinyong.records"
    label = "records"
    verbose_name = _("信用记录")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from xinyong.catalog.models import CatalogItem

        post_migrate.connect(ensure_rule_sets, sender=self, dispatch_uid="records.ensure_rule_sets")
        post_save.connect(
            rebuild_exports_on_catalog_change,
            sender=CatalogItem,
            dispatch_uid="records.rebuild_exports_on_catalog_change",
        )


def rebuild_exports_on_catalog_change(
    sender: type, *, instance: object, raw: bool = False, **kwargs: object
) -> None:
    """`post_save` of a catalog item: a 双公示 item's new version or disclosure
    (what is public, masked how) reaches the public CSV files by a rebuild.
    The catalog is below records and cannot call it; until the rebuild, the
    old files are not served (`records.exports.export_outdated`)."""
    from xinyong.records.exports import export_request
    from xinyong.records.selectors.public import SHUANGGONGSHI_ITEMS

    if not raw and getattr(instance, "code", None) in SHUANGGONGSHI_ITEMS:
        export_request()

        from django.db.models.signals import post_delete, post_save

        from xinyong.catalog.models import CatalogItemVersion
        from xinyong.records.selectors.public import forget_public_plans

        for signal in (post_save, post_delete):
            signal.connect(
                forget_public_plans,
                sender=CatalogItemVersion,
                dispatch_uid=f"records.forget_public_plans.{signal is post_save}",
            )


def ensure_rule_sets(
    sender: AppConfig | None = None,
    *,
    apps: Apps | None = None,
    using: str = "default",
    **kwargs: object,
) -> None:
    """`post_migrate` receiver: put the shipped disclosure rule sets back after
    a `flush` (which empties every table, then sends post_migrate), as the
    catalog does for its built-in items. Migration 0003 loads them first."""
    from django.apps import apps as global_apps
    from django.db import connections

    from xinyong.records.disclosure import load_builtin_rule_sets

    apps = apps or global_apps  # `flush` sends post_migrate without `apps`
    try:
        apps.get_model("records", "DisclosureRuleSet")
    except LookupError:  # migrated back below 0003
        return
    if "records_disclosureruleset" not in connections[using].introspection.table_names():
        return
    load_builtin_rule_sets(apps)
