"""Confirmed matches: a question of an organisation's own questionnaire made equivalent to a
question of the shipped bank, so that the supplier's answer library covers it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from ..models import QuestionnaireTemplate, TemplateStatus

BANK_KEY = "zorg-leveranciers"


def bank_template() -> QuestionnaireTemplate | None:
    """The newest published version of the shipped question bank."""
    return (
        QuestionnaireTemplate.objects.filter(
            key=BANK_KEY, owner__isnull=True, status=TemplateStatus.PUBLISHED
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def question_equivalents_set(*, template, equivalents: dict[str, str], actor, request=None) -> int:
    """Store `{question code: bank code or ""}` for the template's questions; every code is
    checked first, and nothing is stored when one is wrong. Returns how many changed."""
    bank = bank_template()
    bank_codes = set(bank.questions.values_list("code", flat=True)) if bank else set()
    questions = {q.code: q for q in template.questions.all()}
    errors = []
    for code, bank_code in equivalents.items():
        if code not in questions:
            errors.append(_("%(code)s is not a question of this questionnaire.") % {"code": code})
        elif bank_code and bank_code not in bank_codes:
            errors.append(
                _("%(bank)s is not a question of the bank.") % {"bank": bank_code}
            )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    changed = {}
    for code, bank_code in equivalents.items():
        q = questions[code]
        if q.equivalent_code != bank_code:
            changed[code] = {"before": q.equivalent_code, "after": bank_code}
            q.equivalent_code = bank_code
            q.save(update_fields=["equivalent_code"])
    if changed:
        audit_record(
            action="questionnaire.equivalents_set",
            organisation=template.owner,
            actor=actor,
            obj=template,
            after=changed,
            request=request,
        )
    return len(changed)
