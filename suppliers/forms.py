"""Forms for registering suppliers and relationships; the intake offers descriptive levels."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind, RelationshipStatus, SupplierType
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


class IntakeFields:
    """Adds the five intake factors as radio choices with their descriptive levels."""

    def add_intake_fields(self) -> None:
        for factor in FACTORS:
            self.fields[f"intake_{factor}"] = forms.TypedChoiceField(
                label=FACTOR_NAMES[factor],
                choices=[(i, f"{i} — {LEVELS[factor][i]}") for i in range(4)],
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


TIER_LABELS = {
    "critical": _("Critical"),
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
}
BAND_LABELS = {
    "strong": _("Strong"),
    "adequate": _("Adequate"),
    "weak": _("Weak"),
    "poor": _("Poor"),
}


class AppetiteForm(forms.Form):
    """Every tunable number of the risk model (DESIGN §6); the service validates the whole."""

    def __init__(self, *args, appetite: dict, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = [(t, TIER_LABELS[t]) for t in ("low", "medium", "high", "critical")]
        for tier in ("critical", "high", "medium"):
            self.fields[f"sum_{tier}"] = forms.IntegerField(
                label=TIER_LABELS[tier],
                min_value=1,
                max_value=15,
                initial=appetite["tier_rules"][tier]["sum_gte"],
            )
        for band in ("strong", "adequate", "weak"):
            self.fields[f"band_{band}"] = forms.DecimalField(
                label=BAND_LABELS[band],
                min_value=1,
                max_value=100,
                decimal_places=1,
                initial=appetite["band_thresholds"][band],
            )
        for tier in ("critical", "high", "medium", "low"):
            for band in ("strong", "adequate", "weak", "poor"):
                self.fields[f"matrix_{tier}_{band}"] = forms.ChoiceField(
                    label=f"{TIER_LABELS[tier]} × {BAND_LABELS[band]}",
                    choices=tiers,
                    initial=appetite["matrix"][tier][band],
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            self.fields[f"cadence_{tier}"] = forms.IntegerField(
                label=TIER_LABELS[tier],
                min_value=1,
                max_value=60,
                initial=appetite["cadence_months"][tier],
            )
            self.fields[f"deadline_{tier}"] = forms.IntegerField(
                label=TIER_LABELS[tier],
                min_value=1,
                max_value=730,
                initial=appetite["finding_deadlines"][tier],
            )

    def appetite(self, current: dict) -> dict:
        """The form's values laid over the current appetite (rule conditions are kept)."""
        d = self.cleaned_data
        result = {**current}
        result["tier_rules"] = {
            t: {**current["tier_rules"][t], "sum_gte": d[f"sum_{t}"]}
            for t in ("critical", "high", "medium")
        }
        result["band_thresholds"] = {
            b: float(d[f"band_{b}"]) for b in ("strong", "adequate", "weak")
        }
        tiers = ("critical", "high", "medium", "low")
        bands = ("strong", "adequate", "weak", "poor")
        result["matrix"] = {t: {b: d[f"matrix_{t}_{b}"] for b in bands} for t in tiers}
        result["cadence_months"] = {t: d[f"cadence_{t}"] for t in tiers}
        result["finding_deadlines"] = {t: d[f"deadline_{t}"] for t in tiers}
        return result


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    file = forms.FileField(label=_("File"), required=False)
    valid_from = forms.DateField(
        label=_("Issued or valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("You and your customers are reminded before this date."),
    )
    issuer = forms.CharField(
        label=_("Issuing body (certificates and reports)"), max_length=200, required=False
    )
    accredited = forms.BooleanField(
        label=_("Issued under accreditation (for example by the RvA)"), required=False
    )
    scope = forms.CharField(
        label=_("Scope statement"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copy the scope from the certificate: which services and locations it covers."),
    )
    offered = forms.BooleanField(
        label=_("Offer to my customers"),
        required=False,
        help_text=_(
            "Certificates and reports you offer are visible to every care organisation you work "
            "for; they record whether the scope covers what they buy."
        ),
    )
    products = forms.MultipleChoiceField(
        label=_("Products covered"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, products=(), new=True, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DocumentKind.choices
        self.fields["products"].choices = [(str(p.pk), p.name) for p in products]
        self.fields["file"].required = new
        if not new:
            self.fields["file"].help_text = _("Leave empty to keep the current file.")
