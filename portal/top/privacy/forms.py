"""The confirm step of an erasure: the owner types the person's e-mail address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type the person's e-mail address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"].strip()
        if value.lower() != self.email.lower():
            raise forms.ValidationError(
                _("This is not the person's e-mail address; nothing was erased.")
            )
        return value
