from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    label = "catalog"
    verbose_name = _("信用信息目录")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xinyong.catalog.builtin import ensure_builtin

        post_migrate.connect(ensure_builtin, sender=self, dispatch_uid="catalog.ensure_builtin")
