from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Per-organisation export and AVG erasure: they span every app, so they live on top."""

    name = "portal.top.privacy"
    label = "privacy"
    verbose_name = _("Privacy and data export")
