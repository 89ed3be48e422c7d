from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "portal.core.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from . import receivers  # noqa: F401,PLC0415 - connects the sign-in receiver
