"""Forms for questionnaire upload and spreadsheet mapping."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .xlsx_import import MAPPABLE

MAX_YAML_BYTES = 2 * 1024 * 1024


class YamlUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Questionnaire file (.yaml)"),
        help_text=_("The whole file is checked first; nothing is stored if anything is wrong."),
    )
    publish = forms.BooleanField(label=_("Publish right away"), required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Choose a .yaml file."))
        if f.size > MAX_YAML_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if f.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return f


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if f.size > min(settings.MAX_UPLOAD_BYTES, 5 * 1024 * 1024):
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


COLUMN_LABELS = {
    "section": _("Section"),
    "code": _("Question code"),
    "text": _("Question text"),
    "text_en": _("Question text (English)"),
    "type": _("Answer type"),
    "answers": _("Allowed answers"),
    "weight": _("Weight"),
    "references": _("References"),
    "help": _("Help text"),
}


class MappingForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Sheet"))
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=50, initial=1)
    key = forms.SlugField(label=_("Key"), max_length=80)
    version = forms.IntegerField(label=_("Version"), min_value=1, max_value=10000, initial=1)
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    section_from_code_prefix = forms.BooleanField(
        label=_("Derive the section from the code prefix (CAIQ style, e.g. IAM-14.1)"),
        required=False,
    )
    save_as = forms.CharField(label=_("Save this mapping as"), max_length=100, required=False)

    def __init__(self, *args, sheets: list[str], headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(s, s) for s in sheets]
        column_choices = [("", _("— not in this sheet —"))] + [(h, h) for h in headers if h]
        for target in MAPPABLE:
            self.fields[f"col_{target}"] = forms.ChoiceField(
                label=COLUMN_LABELS[target], choices=column_choices, required=(target == "text")
            )

    def mapping_dict(self) -> dict:
        d = self.cleaned_data
        return {
            "sheet": d["sheet"],
            "header_row": d["header_row"],
            "key": d["key"],
            "version": d["version"],
            "title_nl": d["title_nl"],
            "title_en": d["title_en"],
            "section_from_code_prefix": d["section_from_code_prefix"],
            "columns": {t: d[f"col_{t}"] for t in MAPPABLE if d.get(f"col_{t}")},
        }
