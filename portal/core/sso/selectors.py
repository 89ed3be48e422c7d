"""Reading SSO configurations."""

from __future__ import annotations

from .models import PROVIDER_PREFIX, SsoConfiguration


def _domain(email: str) -> str:
    return (email or "").strip().rpartition("@")[2].lower()


def active_configurations():
    return SsoConfiguration.objects.filter(
        is_active=True, organisation__kind="care"
    ).select_related("organisation")


def configuration_for_provider(provider_id: str) -> SsoConfiguration | None:
    if not provider_id or not provider_id.startswith(PROVIDER_PREFIX):
        return None
    slug = provider_id[len(PROVIDER_PREFIX) :]
    return active_configurations().filter(organisation__slug=slug).first()


def configuration_for_email(email: str) -> SsoConfiguration | None:
    """The active configuration whose e-mail domains hold this address (domains are unique)."""
    domain = _domain(email)
    if not domain:
        return None
    for config in active_configurations():
        if domain in config.email_domains:
            return config
    return None


def required_configuration_for_email(email: str) -> SsoConfiguration | None:
    config = configuration_for_email(email)
    return config if config is not None and config.required else None


def configuration_of(organisation) -> SsoConfiguration | None:
    return SsoConfiguration.objects.filter(organisation=organisation).first()
