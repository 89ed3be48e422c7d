"""Forms for registering suppliers and relationships; the intake offers descriptive levels."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import RelationshipStatus, SupplierType
from .tiering import FACTOR_NAMES, FACTORS, LEVELS


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Supplier name"), max_length=200)
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=8,
        required=False,
        help_text=_("If the supplier is already on Ketenwacht, it is linked by its KvK number."),
    )
    contact_email = forms.EmailField(
        label=_("Contact person's e-mail"),
        max_length=254,
        required=False,
        help_text=_("A new supplier's contact person is invited to sign up as its owner."),
    )


def _lang() -> int:
    return 1 if (get_language() or "nl").startswith("en") else 0


class IntakeFields:
    """Adds the five intake factors as radio choices with their descriptive levels."""

    def add_intake_fields(self) -> None:
        lang = _lang()
        for factor in FACTORS:
            self.fields[f"intake_{factor}"] = forms.TypedChoiceField(
                label=FACTOR_NAMES[factor][lang],
                choices=[(i, f"{i} — {LEVELS[factor][i][lang]}") for i in range(4)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def intake(self) -> dict[str, int]:
        return {f: self.cleaned_data[f"intake_{f}"] for f in FACTORS}


class RelationshipForm(IntakeFields, forms.Form):
    name = forms.CharField(
        label=_("Name of the relationship"),
        max_length=200,
        help_text=_("e.g. the product or service, such as “EPD HiX”"),
    )
    supplier = forms.ChoiceField(label=_("Supplier"))
    supplier_types = forms.MultipleChoiceField(
        label=_("Supplier types"),
        choices=SupplierType.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=RelationshipStatus.choices, initial="prospect"
    )

    def __init__(self, *args, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [(s.pk, s.name) for s in suppliers]
        self.add_intake_fields()


class IntakeForm(IntakeFields, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_intake_fields()
