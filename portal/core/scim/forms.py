from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CARE_ROLE_CHOICES


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("For example the name of the identity provider: Entra ID."),
    )


class GroupRoleForm(forms.Form):
    group_name = forms.CharField(
        label=_("Group name in the identity provider"),
        max_length=254,
        help_text=_("Exactly as the identity provider sends it (the group's display name)."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=CARE_ROLE_CHOICES)
