from django import forms
from django.utils.translation import gettext_lazy as _


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        choices=(),
    )

    def __init__(self, *args, event_names: list[str] | tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(n, n) for n in event_names]


class ActiveForm(forms.Form):
    is_active = forms.BooleanField(label=_("Active"), required=False)
