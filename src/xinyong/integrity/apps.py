from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "xinyong.integrity"
    label = "integrity"
    verbose_name = _("政务诚信与个人诚信")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xinyong.integrity.builtin import ensure_builtin

        post_migrate.connect(ensure_builtin, sender=self, dispatch_uid="integrity.ensure_builtin")
