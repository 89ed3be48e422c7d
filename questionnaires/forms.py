"""Forms for questionnaire upload and spreadsheet mapping."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl.utils import get_column_letter

from .models import QuestionnaireTemplate
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
# What each target field means, shown under its choice on the mapping page.
COLUMN_HELP = {
    "section": _(
        "The topic or domain (Onderwerp, Domein, Domain). Rows without one use the heading row "
        "above them."
    ),
    "code": _(
        "The question number (Nr., ID, Question ID). A code with other characters than letters, "
        "digits, '.', '-' or '_' is adjusted; the original is kept as a reference."
    ),
    "text": _("The question itself (Vraag, Question), in the language chosen above. Required."),
    "text_en": _(
        "Only for a sheet with Dutch and English side by side: the English question. Without it "
        "the other language is marked as missing, not copied."
    ),
    "type": _("The answer type in words (text, number, date, file, single_choice…)."),
    "answers": _(
        "The allowed answers (Antwoordopties, Answer options), e.g. Ja/Nee/N.v.t. A drop-down "
        "list in the sheet is used when the cell is empty."
    ),
    "weight": _("Gewicht / Weight: a whole number from 0 to 3; empty means 1."),
    "references": _(
        "Norm / Referentie / Reference / Control ID, e.g. NEN 7510-2 5.20; NIS2 21.2.j. What "
        "cannot be read is kept as a free-text reference."
    ),
    "help": _("An explanation for the supplier (Toelichting, Guidance)."),
}


class MappingForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Sheet"))
    header_row = forms.IntegerField(
        label=_("Header row"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("The row number with the column names; see the first rows of the sheet."),
    )
    language = forms.ChoiceField(
        label=_("Language of the questions"),
        choices=[
            ("nl", pgettext_lazy("language of the questions", "Dutch")),
            ("en", pgettext_lazy("language of the questions", "English")),
        ],
        help_text=_("The texts fill this language; the other one is marked as missing."),
    )
    key = forms.SlugField(
        label=_("Key"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens; stays the same across versions."),
    )
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
        column_choices = [("", _("— not in this sheet —"))] + [
            (h or get_column_letter(i + 1), f"{get_column_letter(i + 1)}: {h or '—'}")
            for i, h in enumerate(headers)
        ]
        for target in MAPPABLE:
            self.fields[f"col_{target}"] = forms.ChoiceField(
                label=COLUMN_LABELS[target],
                choices=column_choices,
                required=(target == "text"),
                help_text=COLUMN_HELP[target],
            )

    def clean(self):

        d = super().clean()
        key, version = d.get("key"), d.get("version")
        if key and version and QuestionnaireTemplate.objects.filter(key=key, version=version):
            self.add_error(
                "version",
                _("Version %(version)s of %(key)s already exists; raise the version number.")
                % {"version": version, "key": key},
            )
        return d

    def mapping_dict(self) -> dict:
        d = self.cleaned_data
        return {
            "sheet": d["sheet"],
            "header_row": d["header_row"],
            "language": d["language"],
            "key": d["key"],
            "version": d["version"],
            "title_nl": d["title_nl"],
            "title_en": d["title_en"],
            "section_from_code_prefix": d["section_from_code_prefix"],
            "columns": {t: d[f"col_{t}"] for t in MAPPABLE if d.get(f"col_{t}")},
        }
