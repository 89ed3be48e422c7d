"""Forms: the administrator's SSO configuration, the SSO start, and allauth's password and
e-mail-code sign-in forms that refuse addresses of an organisation that requires SSO."""

from __future__ import annotations

from allauth.account.forms import LoginForm, RequestLoginCodeForm
from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import selectors, services

PASSWORD_MAX = 1024


class ConfigurationForm(forms.Form):
    issuer = forms.URLField(
        label=_("Issuer URL"),
        max_length=300,
        assume_scheme="https",
        help_text=_("For example https://login.microsoftonline.com/TENANT-ID/v2.0"),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    secret = forms.CharField(
        label=_("Client secret"),
        max_length=1000,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    email_domains = forms.CharField(
        label=_("E-mail domains"),
        max_length=2000,
        help_text=_("The domains of your organisation's addresses, separated by commas."),
    )
    create_on_first_sign_in = forms.BooleanField(
        label=_("Add people of these domains on their first sign-in (as viewers)"),
        required=False,
    )
    required = forms.BooleanField(
        label=_("Require single sign-on for these domains (no password or e-mail code)"),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_secret:
            self.fields["secret"].help_text = _(
                "A secret is stored. It is never shown again; leave empty to keep it."
            )

    def clean_email_domains(self) -> list[str]:
        try:
            return services.parse_domains(self.cleaned_data["email_domains"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["email_domains"]) from exc


class SsoStartForm(forms.Form):
    email = forms.EmailField(label=_("Your work e-mail address"), max_length=254)


def _required_error(config):
    return format_html(
        '{} <a href="{}">{}</a>',
        _("%(organisation)s signs in with single sign-on.")
        % {"organisation": config.organisation.name},
        reverse("sso_start"),
        _("Sign in with single sign-on"),
    )


class SsoAwareLoginForm(LoginForm):
    """Password sign-in, refused for addresses of an organisation that requires SSO."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password"]
        password.max_length = PASSWORD_MAX
        password.validators.append(MaxLengthValidator(PASSWORD_MAX))

    def clean(self):
        email = str(self.cleaned_data.get("login") or "")
        config = selectors.required_configuration_for_email(email)
        if config is not None:
            services.record_password_refused(config=config, email=email, method="password")
            raise forms.ValidationError(_required_error(config))
        return super().clean()


class SsoAwareRequestLoginCodeForm(RequestLoginCodeForm):
    """E-mail-code sign-in, refused for addresses of an organisation that requires SSO."""

    def clean(self):
        cleaned = super().clean()
        email = str(cleaned.get("email") or "")
        config = selectors.required_configuration_for_email(email)
        if config is not None:
            services.record_password_refused(config=config, email=email, method="code")
            raise forms.ValidationError(_required_error(config))
        return cleaned
