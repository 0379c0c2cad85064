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

        from django.db.models.signals import post_delete, post_save

        from xinyong.catalog.models import CatalogItemVersion
        from xinyong.catalog.selectors import forget_version_schemas

        for signal in (post_save, post_delete):
            signal.connect(
                forget_version_schemas,
                sender=CatalogItemVersion,
                dispatch_uid=f"catalog.forget_version_schemas.{signal is post_save}",
            )
