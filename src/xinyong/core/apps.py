from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xinyong.core"
    label = "core"
    verbose_name = _("基础规则")

    def ready(self) -> None:
        from xinyong.core import audit, workdays

        # Every app declares its audit actions in `audit_actions.py`.
        audit.autodiscover()

        # Rebuild the working-day calendar when the credit office changes the
        # holiday table (admin or import).
        workdays.connect_signals()
