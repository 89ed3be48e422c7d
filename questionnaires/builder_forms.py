"""Builder forms. The question form produces the file-format dict, so one validator rules all."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core import rules

from .models import AnswerType, EvidenceLevel, Severity, SupplierType
from .xlsx_import.interpret import split_references

CONDITION_ROWS = 3
CHOICES_HELP = _("One per line: value | label (Dutch) | label (English) | score 0–1.")
OP_LABELS = [
    ("eq", _("is")),
    ("ne", _("is not")),
    ("in", _("is one of")),
    ("not_in", _("is none of")),
    ("gt", _("greater than")),
    ("gte", _("at least")),
    ("lt", _("less than")),
    ("lte", _("at most")),
    ("contains", _("contains")),
    ("answered", _("is answered")),
]
SHOW_MODES = [
    ("always", _("Always show this question")),
    ("all", _("Show only when all conditions below hold")),
    ("any", _("Show only when at least one condition below holds")),
    ("keep", _("Keep the current advanced condition")),
]


class NewTemplateForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"), max_length=80, help_text=_("Stable name, e.g. my-supplier-check")
    )
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)


class SectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. ACC"))
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    revision = forms.IntegerField(widget=forms.HiddenInput)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("Stable across versions, e.g. ACC-03")
    )
    text_nl = forms.CharField(
        label=_("Question (Dutch)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_nl = forms.CharField(
        label=_("Help (Dutch)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_en = forms.CharField(
        label=_("Help (English)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    type = forms.ChoiceField(label=_("Answer type"), choices=AnswerType.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CHOICES_HELP,
    )
    na_allowed = forms.BooleanField(label=_("Allow “not applicable”"), required=False)
    weight = forms.TypedChoiceField(
        label=_("Weight"),
        coerce=int,
        choices=[(i, str(i)) for i in range(4)],
        initial=1,
        help_text=_("0 = informational, never scored"),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    knockout = forms.BooleanField(
        label=_("Knock-out (failing it raises the residual risk to at least high)"), required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity of a finding"), choices=Severity.choices, initial="medium"
    )
    applies_to = forms.MultipleChoiceField(
        label=_("Applies to supplier types"),
        choices=SupplierType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("None ticked = every type"),
    )
    evidence = forms.ChoiceField(label=_("Evidence"), choices=EvidenceLevel.choices)
    bands = forms.CharField(
        label=_("Score bands (number and date)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per line, e.g. “lte 12 = 1”. For dates the number is months before submission."
        ),
    )
    reviewer_scored = forms.BooleanField(
        label=_("Scored by the reviewer (text and file)"), required=False
    )
    references = forms.CharField(
        label=_("References"),
        required=False,
        max_length=1000,
        help_text=_(
            "Comma-separated, e.g. NEN7510-2:8.5, NIS2:21.2.j; other sources as free text: "
            "TEXT:ISO 27001 A.5.1"
        ),
    )
    advice_nl = forms.CharField(
        label=_("Advice (Dutch)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    advice_en = forms.CharField(
        label=_("Advice (English)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    show_mode = forms.ChoiceField(label=_("Visibility"), choices=SHOW_MODES, initial="always")
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, fact_choices: list[tuple[str, str]], current_rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_rule = current_rule
        for i in range(CONDITION_ROWS):
            self.fields[f"cond_{i}_fact"] = forms.ChoiceField(
                label=_("Fact"), choices=[("", "—")] + fact_choices, required=False
            )
            self.fields[f"cond_{i}_op"] = forms.ChoiceField(
                label=_("Operator"), choices=OP_LABELS, required=False
            )
            self.fields[f"cond_{i}_value"] = forms.CharField(
                label=_("Value"),
                max_length=200,
                required=False,
                help_text=_("For “is one of”: comma-separated"),
            )
        if not (current_rule and not _simple(current_rule)):
            self.fields["show_mode"].choices = SHOW_MODES[:3]

    def condition_rows(self):
        return [
            (self[f"cond_{i}_fact"], self[f"cond_{i}_op"], self[f"cond_{i}_value"])
            for i in range(CONDITION_ROWS)
        ]

    def _rule(self) -> dict | None:
        d = self.cleaned_data
        mode = d.get("show_mode")
        if mode == "always":
            return None
        if mode == "keep":
            return self.current_rule
        conditions = []
        attempted = False
        for i in range(CONDITION_ROWS):
            fact, op, raw = (
                d.get(f"cond_{i}_fact"),
                d.get(f"cond_{i}_op") or "eq",
                (d.get(f"cond_{i}_value") or "").strip(),
            )
            if not fact:
                continue
            attempted = True
            condition: dict = {"fact": fact, "op": op}
            if op == "answered":
                condition["value"] = raw.lower() not in ("no", "nee", "false")
            elif op in ("in", "not_in"):
                condition["value"] = [v.strip() for v in raw.split(",") if v.strip()]
            elif op in ("gt", "gte", "lt", "lte"):
                try:
                    condition["value"] = float(raw) if "." in raw else int(raw)
                except ValueError:
                    self.add_error(f"cond_{i}_value", _("Enter a number."))
                    continue
            else:
                condition["value"] = raw
            conditions.append(condition)
        if not conditions:
            if attempted:
                return None
            self.add_error("show_mode", _("Add at least one condition, or choose “always show”."))
            return None
        return conditions[0] if len(conditions) == 1 else {mode: conditions}

    def to_raw(self) -> dict:
        """The question in the file format's shape, for `validate_question`."""
        d = self.cleaned_data
        raw: dict = {
            "code": d["code"].strip().upper(),
            "text": {"nl": d["text_nl"], "en": d["text_en"]},
            "help": {"nl": d["help_nl"], "en": d["help_en"]},
            "type": d["type"],
            "na_allowed": d["na_allowed"],
            "weight": d["weight"],
            "required": d["required"],
            "knockout": d["knockout"],
            "severity": d["severity"],
            "applies_to": d["applies_to"],
            "evidence": d["evidence"],
            "reviewer_scored": d["reviewer_scored"],
            # A free-text reference may hold a comma: split only before a norm's name.
            "references": split_references(d["references"]),
            "advice": {"nl": d["advice_nl"], "en": d["advice_en"]},
        }
        choices = []
        for n, line in enumerate(_lines(d["choices"]), start=1):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4:
                self.add_error(
                    "choices",
                    _("Line %(n)s needs four parts: value | Dutch | English | score") % {"n": n},
                )
                continue
            try:
                score = float(parts[3].replace(",", "."))
            except ValueError:
                self.add_error("choices", _("Line %(n)s: the score must be a number") % {"n": n})
                continue
            choices.append(
                {"value": parts[0], "label": {"nl": parts[1], "en": parts[2]}, "score": score}
            )
        if choices:
            raw["choices"] = choices
        bands = []
        for n, line in enumerate(_lines(d["bands"]), start=1):
            match = re.fullmatch(r"(lt|lte|gt|gte)\s+(-?[0-9.]+)\s*=\s*([0-9.]+)", line)
            if not match:
                self.add_error("bands", _("Line %(n)s: write e.g. “lte 12 = 1”") % {"n": n})
                continue
            bands.append({match[1]: float(match[2]), "score": float(match[3])})
        if bands:
            raw["bands"] = bands
        rule = self._rule()
        if rule is not None:
            raw["show_if"] = rule
        return raw

    @staticmethod
    def initial_for(question) -> dict:
        initial = {
            "code": question.code,
            "text_nl": question.text_nl,
            "text_en": question.text_en,
            "help_nl": question.help_nl,
            "help_en": question.help_en,
            "type": question.answer_type,
            "choices": "\n".join(
                f"{c['value']} | {c['label']['nl']} | {c['label']['en']} | {c['score']}"
                for c in question.choices
            ),
            "na_allowed": question.na_allowed,
            "weight": question.weight,
            "required": question.required,
            "knockout": question.knockout,
            "severity": question.severity,
            "applies_to": question.applies_to,
            "evidence": question.evidence,
            "bands": "\n".join(_band_line(b) for b in question.bands),
            "reviewer_scored": question.reviewer_scored,
            "references": ", ".join(question.references),
            "advice_nl": question.advice_nl,
            "advice_en": question.advice_en,
            "show_mode": "always",
        }
        rule = question.show_if
        if rule:
            if _simple(rule):
                conditions = rule.get("all") or rule.get("any") or [rule]
                initial["show_mode"] = "any" if "any" in rule else "all"
                for i, c in enumerate(conditions):
                    value = c.get("value")
                    initial[f"cond_{i}_fact"] = c["fact"]
                    initial[f"cond_{i}_op"] = c["op"]
                    initial[f"cond_{i}_value"] = (
                        ", ".join(map(str, value))
                        if isinstance(value, list)
                        else (("yes" if value else "no") if isinstance(value, bool) else value)
                    )
            else:
                initial["show_mode"] = "keep"
        return initial


def _band_line(band: dict) -> str:
    bound = next(k for k in band if k != "score")
    return f"{bound} {band[bound]:g} = {band['score']:g}"


def _simple(rule) -> bool:
    """A rule the form can show: one condition, or all/any of up to three conditions."""
    if not isinstance(rule, dict):
        return False
    if "fact" in rule:
        return True
    key = "all" if "all" in rule else "any" if "any" in rule else None
    return (
        bool(key)
        and len(rule[key]) <= CONDITION_ROWS
        and all(isinstance(c, dict) and "fact" in c for c in rule[key])
    )


def fact_choices(codes: list[str]) -> list[tuple[str, str]]:
    facts = [(rules.answer_fact(c), _("Answer to %(code)s") % {"code": c}) for c in codes]
    facts += [(f, f) for f in sorted(rules.BASE_FACTS)]
    return facts


def field_for_path(path: str) -> str | None:
    """Map a validator path (question.text.nl, question.show_if.all[0].op) to a form field."""
    rest = path.removeprefix("question.").removeprefix("question")
    head = re.split(r"[.\[]", rest, maxsplit=1)[0]
    if head in ("text", "help", "advice"):
        lang = rest.split(".")[1] if "." in rest else "nl"
        return f"{head}_{lang}"
    if head == "show_if":
        return "show_mode"
    return {"type": "type"}.get(head, head) or None
