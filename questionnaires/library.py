"""The supplier's answer library (DESIGN §10): answer once, share many — never unconfirmed.

Answers confirmed in a submitted assessment are kept per product (or supplier-wide when the
relationship names no product) and question code. A new assessment for that product starts
with them prefilled; a prefilled answer stays invisible to the care organisation until the
supplier confirms it in that assessment, and unconfirmed ones are dropped at submission.
"""

from __future__ import annotations

from django.db import transaction

from .models import Answer, LibraryAnswer
from .sharing.notices import profiles_changed
from .yaml_io import default_choices


def _products(assessment):
    products = list(
        assessment.relationship.products.filter(supplier=assessment.relationship.supplier_id)
    )
    return products or [None]


def library_store(*, assessment) -> int:
    """After submission: remember every confirmed answer for the relationship's products."""
    stored, changes = 0, {}
    before = {
        (e.product_id, e.code): (e.value, e.explanation)
        for e in LibraryAnswer.objects.filter(supplier=assessment.relationship.supplier)
    }
    answers = (
        assessment.answers.select_related("question").filter(prefilled=False).exclude(value=None)
    )
    for product in _products(assessment):
        for answer in answers:
            if answer.question.answer_type == "file":
                continue
            # A question matched to the bank also answers the bank's code (DESIGN §14).
            codes = {answer.question.code, answer.question.equivalent_code} - {""}
            for code in sorted(codes):
                entry, _made = LibraryAnswer.objects.update_or_create(
                    supplier=assessment.relationship.supplier,
                    product=product,
                    code=code,
                    defaults={
                        "value": answer.value,
                        "explanation": answer.explanation,
                        "source": assessment,
                    },
                )
                if product is not None and before.get((product.pk, entry.code)) != (
                    entry.value,
                    entry.explanation,
                ):
                    changes.setdefault(product.pk, []).append(entry.code)
            stored += 1
    if changes:
        profiles_changed(supplier=assessment.relationship.supplier, changes=changes)
    return stored


def _fits(question, value) -> bool:
    """Whether a remembered answer is one this question accepts (a matched question may offer
    other choices than the bank's): otherwise it is not prefilled."""
    allowed = {c.get("value") for c in question.choices or default_choices(question.answer_type)}
    if question.na_allowed:
        allowed.add("na")
    if not allowed:
        return True
    values = value if isinstance(value, list) else [value]
    return all(v in allowed for v in values)


@transaction.atomic
def library_prefill(*, assessment, questions) -> int:
    """Before the supplier starts: prefill known codes (first matching product wins)."""
    supplier = assessment.relationship.supplier
    by_code: dict[str, LibraryAnswer] = {}
    for product in _products(assessment):
        for entry in LibraryAnswer.objects.filter(supplier=supplier, product=product):
            by_code.setdefault(entry.code, entry)
    created = 0
    for q in questions:
        # Its own code first; else the bank question it was confirmed to ask the same as.
        entry = by_code.get(q.code) or by_code.get(q.equivalent_code or "")
        if entry is None or q.answer_type == "file" or not _fits(q, entry.value):
            continue
        _answer, made = Answer.objects.get_or_create(
            assessment=assessment,
            question=q,
            defaults={"value": entry.value, "explanation": entry.explanation, "prefilled": True},
        )
        created += made
    return created
