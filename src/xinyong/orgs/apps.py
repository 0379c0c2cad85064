from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "xinyong.orgs"
    label = "orgs"
    verbose_name = _("部门与用户")

    def ready(self) -> None:
        from xinyong.orgs import login_audit

        login_audit.connect()
