"""Single sign-on (OpenID Connect) per care organisation (DESIGN §15)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet

PROVIDER_PREFIX = "kw-"


def _fernet() -> MultiFernet:
    """The client secret is stored encrypted with a key derived from SECRET_KEY (and its
    fallbacks, so that a key rotation does not lose it): a database dump alone does not show it."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"sso:{key}".encode()).digest()))
            for key in keys
        ]
    )


class SsoConfigurationQuerySet(TenantQuerySet):
    organisation_field = "organisation"


class SsoConfiguration(models.Model):
    """One OpenID Connect identity provider of a care organisation."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="sso_configuration",
        verbose_name=_("organisation"),
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_(
            "The issuer URL of your identity provider; its /.well-known/openid-configuration "
            "is read from there."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=255)
    secret_encrypted = models.TextField(max_length=4000, blank=True, editable=False)
    email_domains = models.JSONField(_("e-mail domains"), default=list, blank=True)
    create_on_first_sign_in = models.BooleanField(
        _("create people on first sign-in"),
        default=False,
        help_text=_(
            "People of your e-mail domains without an invitation are added as viewers on "
            "their first sign-in; administrators are told at once."
        ),
    )
    required = models.BooleanField(
        _("single sign-on required"),
        default=False,
        help_text=_(
            "People with an address in these domains can no longer sign in with a password "
            "or an e-mail code."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SsoConfigurationQuerySet.as_manager()

    class Meta:
        verbose_name = _("single sign-on configuration")
        verbose_name_plural = _("single sign-on configurations")

    def __str__(self) -> str:
        return f"SSO {self.organisation}"

    @property
    def provider_id(self) -> str:
        return f"{PROVIDER_PREFIX}{self.organisation.slug}"

    @property
    def secret(self) -> str:
        if not self.secret_encrypted:
            return ""
        try:
            return _fernet().decrypt(self.secret_encrypted.encode()).decode()
        except InvalidToken:
            return ""

    def set_secret(self, value: str) -> None:
        self.secret_encrypted = _fernet().encrypt(value.encode()).decode() if value else ""

    def covers(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.email_domains
