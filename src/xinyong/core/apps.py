import django_stubs_ext
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Django's generic classes subscriptable at run time (`admin.ModelAdmin[CalendarYear]`,
# `forms.ModelForm[User]`), as django-stubs types them. The app registry imports this module
# before any models, forms or admin module, so every class is defined after the patch.
django_stubs_ext.monkeypatch()


class CoreConfig(AppConfig):
    name = "xinyong.core"
    label = "core"
    verbose_name = _("基础规则")

    def ready(self) -> None:
        from django.urls import register_converter

        from xinyong.core import audit, workdays
        from xinyong.core.ids import IdConverter

        # `<id:pk>` in every app's URLs: an id the database can hold, or a 404.
        register_converter(IdConverter, "id")

        # Every app declares its audit actions in `audit_actions.py`.
        audit.autodiscover()

        # Rebuild the working-day calendar when the credit office changes the
        # holiday table (admin or import).
        workdays.connect_signals()
