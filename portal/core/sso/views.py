"""Pages: the administrator's SSO configuration, and the start of an SSO sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.accounts.decorators import membership_required

from . import selectors, services
from .forms import ConfigurationForm, SsoStartForm
from .models import PROVIDER_PREFIX
from .oidc import views as oidc_views


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _redirect_uri(provider_id: str) -> str:
    path = reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
    return f"{settings.SITE_URL}{path}"


@membership_required("sso.manage")
def sso_settings(request):
    organisation = request.membership.organisation
    config = selectors.configuration_of(organisation)
    initial = {"is_active": True}
    if config is not None:
        initial = {
            "issuer": config.issuer,
            "client_id": config.client_id,
            "email_domains": ", ".join(config.email_domains),
            "create_on_first_sign_in": config.create_on_first_sign_in,
            "required": config.required,
            "is_active": config.is_active,
        }
    has_secret = bool(config and config.secret_encrypted)
    form = ConfigurationForm(initial=initial, has_secret=has_secret)
    if request.method == "POST":
        form = ConfigurationForm(request.POST, has_secret=has_secret)
        if form.is_valid():
            try:
                services.configuration_save(
                    organisation=organisation,
                    actor=request.user,
                    request=request,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Single sign-on settings saved."))
                return redirect("sso_settings")
    return render(
        request,
        "sso/settings.html",
        {
            "config": config,
            "form": form,
            "redirect_uri": _redirect_uri(f"{PROVIDER_PREFIX}{organisation.slug}"),
        },
    )


@require_http_methods(["GET", "POST"])
def sso_start(request):
    """Asks for the work e-mail address and sends the person on to their organisation's
    identity provider (the list of organisations with SSO is not shown to anyone)."""
    form = SsoStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        config = selectors.configuration_for_email(form.cleaned_data["email"])
        if config is None:
            form.add_error(
                "email",
                _(
                    "Single sign-on is not set up for this address. Sign in with your password "
                    "or an e-mail code."
                ),
            )
        else:
            return oidc_views.login(request, config.provider_id)
    return render(request, "sso/start.html", {"form": form, "next": request.GET.get("next", "")})
