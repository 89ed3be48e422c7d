"""Forms for members, invitations, settings and tokens. Length limits on every field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .models import ROLES_BY_KIND, Role, User


def role_choices(organisation) -> list[tuple[str, str]]:
    return [(r.value, Role(r).label) for r in ROLES_BY_KIND[organisation.kind]]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organisation)
        # The least powerful role is the safe default; owners and admins are chosen on purpose.
        self.fields["role"].initial = "respondent" if organisation.kind == "supplier" else "viewer"


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organisation)


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1, User(email=self.email, name=data.get("name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("For example the system that will use it."),
    )
    read_only = forms.BooleanField(
        label=_("Read-only"),
        required=False,
        help_text=_("The token may read what your role may read, and change nothing."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: one year. The token stops working at the end of this day."),
    )


class OrganisationSettingsForm(forms.Form):
    mfa_required = forms.BooleanField(
        label=_("Require two-factor authentication for every member"), required=False
    )
