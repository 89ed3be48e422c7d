"""Pages for tenancy and accounts: switching organisation, members, invitations, settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.permissions import has_perm
from portal.core.sso.selectors import required_configuration_for_email
from portal.core.tenancy import get_visible_or_404

from . import selectors, services
from .decorators import membership_required
from .forms import (
    AcceptInvitationForm,
    InviteForm,
    OrganisationSettingsForm,
    ProfileForm,
    RoleForm,
    TokenForm,
)
from .middleware import SESSION_KEY
from .models import Invitation, Membership, User


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@require_POST
@membership_required()
def switch_organisation(request):
    """Make another of the user's own memberships the active one for this session."""
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        wanted = None
    membership = next((m for m in request.memberships if m.pk == wanted), None)
    if membership is None:
        return render(request, "404.html", status=404)
    request.session[SESSION_KEY] = membership.pk
    messages.success(
        # No full stop after the name: "MedDossier B.V.." reads as a typo.
        request,
        _("You are now working in %(org)s") % {"org": membership.organisation.name},
    )
    return redirect("home")


@membership_required("org.view_members")
def members(request):
    membership = request.membership
    can_manage = has_perm(membership, "org.manage_members")
    form = InviteForm(organisation=membership.organisation)
    if request.method == "POST":
        if not can_manage:
            return render(request, "403.html", status=403)
        form = InviteForm(request.POST, organisation=membership.organisation)
        if form.is_valid():
            try:
                services.invitation_create(
                    organisation=membership.organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("members")
    return render(
        request,
        "accounts/members.html",
        {
            "member_list": selectors.members_of(membership=membership),
            "invitations": selectors.pending_invitations(membership=membership),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
@membership_required("org.manage_members")
def member_role(request, pk: int):
    target = get_visible_or_404(Membership, request.membership, pk=pk)
    form = RoleForm(request.POST, organisation=request.membership.organisation)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("members")
    try:
        services.membership_change_role(
            membership=target, role=form.cleaned_data["role"], actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role of %(user)s changed.") % {"user": target.user})
    return redirect("members")


@membership_required("org.manage_members")
def member_deactivate(request, pk: int):
    target = get_visible_or_404(Membership, request.membership, pk=pk)
    if request.method == "POST":
        try:
            services.membership_deactivate(membership=target, actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(user)s no longer has access.") % {"user": target.user})
        return redirect("members")
    return render(request, "accounts/member_deactivate.html", {"target": target})


@require_POST
@membership_required("org.manage_members")
def invitation_revoke(request, pk: int):
    invitation = get_visible_or_404(Invitation, request.membership, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("members")


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


def invitation_accept(request, token: str):
    """The landing page of an invitation link: create the account or add the membership."""
    try:
        invitation = services.invitation_lookup(token)
    except services.InvitationInvalid as exc:
        status = 404 if exc.reason == "unknown" else 410
        return render(
            request, "accounts/invitation_invalid.html", {"reason": exc.reason}, status=status
        )
    user = request.user if request.user.is_authenticated else None
    context = {"invitation": invitation}
    if user is not None and user.email.lower() != invitation.email.lower():
        return render(
            request, "accounts/invitation_invalid.html", {"reason": "other_user"}, status=403
        )
    existing_account = user is None and (
        User.objects.filter(email__iexact=invitation.email).exists()
    )
    if existing_account:
        login_url = reverse("account_login") + "?next=" + request.path
        return render(
            request, "accounts/invitation_login.html", {**context, "login_url": login_url}
        )
    if user is None and required_configuration_for_email(invitation.email) is not None:
        # SSO required for this address: no password; the first SSO sign-in accepts.
        return render(request, "sso/invitation_sso.html", context)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email) if not user else None
    if request.method == "POST" and (user is not None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=user,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
                request=request,
            )
        except services.InvitationInvalid as exc:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": exc.reason}, status=410
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if user is None:
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            request.session[SESSION_KEY] = membership.pk
            messages.success(
                request,
                _("Welcome to %(org)s on Ketenwacht.") % {"org": membership.organisation.name},
            )
            return redirect(_safe_next(request, invitation.next_url))
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


@membership_required("api.use_tokens")
def user_settings(request):
    membership = request.membership
    profile_form = ProfileForm(
        initial={"name": request.user.name, "language": request.user.language}
    )
    token_form = TokenForm()
    org_form = OrganisationSettingsForm(
        initial={"mfa_required": membership.organisation.mfa_required}
    )
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            profile_form = ProfileForm(request.POST)
            if profile_form.is_valid():
                services.user_update_profile(user=request.user, **profile_form.cleaned_data)
                messages.success(request, _("Your settings were saved."))
                response = redirect("user_settings")
                response.set_cookie("django_language", request.user.language, samesite="Lax")
                return response
        elif action == "token":
            token_form = TokenForm(request.POST)
            if token_form.is_valid():
                try:
                    _token, new_key = services.api_token_create(
                        membership=membership,
                        actor=request.user,
                        request=request,
                        **token_form.cleaned_data,
                    )
                except ValidationError as exc:
                    _form_errors(token_form, exc)
                else:
                    token_form = TokenForm()
        elif action == "organisation":
            if not has_perm(membership, "org.edit_settings"):
                return render(request, "403.html", status=403)
            org_form = OrganisationSettingsForm(request.POST)
            if org_form.is_valid():
                services.organisation_update_settings(
                    organisation=membership.organisation,
                    actor=request.user,
                    mfa_required=org_form.cleaned_data["mfa_required"],
                    request=request,
                )
                messages.success(request, _("Organisation settings saved."))
                return redirect("user_settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "profile_form": profile_form,
            "token_form": token_form,
            "org_form": org_form,
            "tokens": selectors.tokens_of(membership=membership),
            "new_key": new_key,
            "can_edit_org": has_perm(membership, "org.edit_settings"),
        },
    )


@require_POST
@membership_required("api.use_tokens")
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_of(membership=request.membership), pk=pk)
    try:
        services.api_token_revoke(token=token, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token revoked."))
    return redirect("user_settings")
