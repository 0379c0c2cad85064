from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "xinyong.rights"
    label = "rights"
    verbose_name = _("信息主体权益")
