"""Forms for contracts, contract files, checklist items and certificate reviews."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClauseStatus, ContractDocumentKind, ScopeVerdict

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)
    notice_months = forms.IntegerField(
        label=_("Notice period (months)"), min_value=0, max_value=60, initial=3
    )
    auto_renewal = forms.BooleanField(label=_("Renews automatically"), required=False)
    renewal_months = forms.IntegerField(
        label=_("Renewal term (months)"), min_value=1, max_value=120, initial=12
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)
    notes = forms.CharField(
        label=_("Internal notes (never shown to the supplier)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [(u.pk, str(u)) for u in members]


class ContractDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContractDocumentKind.choices)
    file = forms.FileField(label=_("File"))


SMALL_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class ChecklistItemForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ClauseStatus.choices, widget=SMALL_SELECT)
    contract = forms.TypedChoiceField(
        label=_("Contract"), coerce=int, required=False, empty_value=None, widget=SMALL_SELECT
    )
    article = forms.CharField(
        label=_("Article"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=4000,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [("", "—")] + [(c.pk, c.reference) for c in contracts]


class CertificateReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Scope"), choices=ScopeVerdict.choices)
    note = forms.CharField(label=_("Note"), max_length=4000, required=False)
