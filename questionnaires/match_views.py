"""The match page of an organisation's own questionnaire: per question the bank question that
asks the same thing (proposed, with the next candidates), confirmed or corrected by a person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.accounts.decorators import membership_required
from portal.core.i18n import active_language

from .builder_views import _own_template
from .matching import Matcher
from .matching.equivalents import bank_template, question_equivalents_set


def _rows(template, bank):
    lang = active_language()
    bank_questions = {q.code: q for q in bank.questions.all()} if bank else {}
    matcher = Matcher([(q.code, q.text_nl, q.text_en) for q in bank_questions.values()])
    rows = []
    for q in template.questions.select_related("section").order_by("section__order", "order"):
        text = q.text_en if lang == "en" else q.text_nl
        match = matcher.match(q.text_nl or q.text_en) if bank_questions else None
        candidates = [
            {
                "code": c.code,
                "score": c.score,
                "text": getattr(bank_questions[c.code], f"text_{lang}"),
            }
            for c in (match.matches if match else [])
        ]
        chosen = q.equivalent_code or (match.best if match else "") or ""
        rows.append(
            {
                "q": q,
                "text": text or q.text_nl or q.text_en,
                "best": match.best if match else None,
                "candidates": candidates,
                "chosen": chosen,
                "confirmed": bool(q.equivalent_code),
                "chosen_listed": chosen in {c["code"] for c in candidates},
                "chosen_text": getattr(bank_questions.get(chosen), f"text_{lang}", ""),
            }
        )
    return rows


@membership_required("questionnaire.build")
def questionnaire_match(request, pk: int):
    template = _own_template(request, pk)
    bank = bank_template()
    if request.method == "POST":
        equivalents = {
            q.code: request.POST.get(f"eq-{q.code}", "").strip()[:20]
            for q in template.questions.all()
            if f"eq-{q.code}" in request.POST
        }
        try:
            changed = question_equivalents_set(
                template=template, equivalents=equivalents, actor=request.user, request=request
            )
        except ValidationError as exc:
            for problem in exc.messages:
                messages.error(request, problem)
        else:
            saved = ngettext("%(n)s match saved.", "%(n)s matches saved.", changed)
            messages.success(request, saved % {"n": changed} if changed else _("Nothing changed."))
            return redirect("questionnaire_match", pk=template.pk)
    return render(
        request,
        "questionnaires/match.html",
        {"template": template, "bank": bank, "rows": _rows(template, bank)},
    )
