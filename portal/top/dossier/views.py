"""The relationship page and its risk page (care organisation side)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from contracts.checklist import checklist_summary, contracts_of
from portal.core.accounts.decorators import membership_required
from portal.core.permissions import has_perm
from questionnaires import selectors as q_selectors
from suppliers import selectors
from suppliers.models import RiskHistory
from suppliers.tiering import FACTOR_NAMES, FACTORS, LEVELS, band_for


def _relationship(request, pk: int):
    return get_object_or_404(selectors.relationships_for(membership=request.membership), pk=pk)


@membership_required("care.read")
def relationship_detail(request, pk: int):
    rel = _relationship(request, pk)
    intake_rows = [(FACTOR_NAMES[f], rel.intake[f], LEVELS[f][rel.intake[f]]) for f in FACTORS]
    clauses = checklist_summary(rel)
    today = timezone.localdate()
    return render(
        request,
        "suppliers/relationship_detail.html",
        {
            "rel": rel,
            "risk": selectors.risk_summary(rel),
            "intake_rows": intake_rows,
            "can_edit_intake": has_perm(request.membership, "intake.edit"),
            "can_send": has_perm(request.membership, "assessment.send"),
            "can_propose": has_perm(request.membership, "decision.propose"),
            "assessments": q_selectors.relationship_assessments(rel),
            "findings": q_selectors.relationship_findings(rel),
            "supplier_products": selectors.products_for(
                membership=request.membership, supplier=rel.supplier
            ).prefetch_related("subprocessors"),
            "chosen_products": set(rel.products.values_list("pk", flat=True)),
            "contracts": contracts_of(rel)[:5],
            "clauses_total": clauses["total"],
            "clauses_must_open": clauses["must_missing"],
            "expired_certificates": selectors.expired_certificates(rel.supplier, today=today),
            "today": today,
        },
    )


@membership_required("care.read")
def relationship_risk(request, pk: int):
    """Tier with reasons, scores per section, residual risk, knock-outs, explanation, history."""
    rel = _relationship(request, pk)
    summary = selectors.risk_summary(rel)
    latest = q_selectors.latest_completed_assessment(rel)
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    questions, sections = {}, {}
    if latest is not None:
        for s in q_selectors.sections_of(template=latest.template):
            sections[s.code] = s.title_en if lang == "en" else s.title_nl
        for q in q_selectors.questions_of(template=latest.template):
            questions[q.code] = q.text_en if lang == "en" else q.text_nl
    section_rows = [
        {"code": code, "title": sections.get(code, code), "score": score}
        for code, score in summary["section_scores"].items()
    ]
    section_rows.sort(key=lambda r: (r["score"], r["code"]))
    for i, row in enumerate(section_rows):  # SVG geometry: 14 units a row, 3 units a point
        row["y"], row["w"], row["band"] = i * 14, round(row["score"] * 3, 1), band_for(row["score"])
    explanation = [
        {**e, "text": questions.get(e["question"], "")} for e in summary["explanation"][:25]
    ]
    history = list(RiskHistory.objects.filter(relationship=rel).order_by("-recorded_at", "-pk"))
    scored = [h for h in reversed(history) if h.control_score is not None]
    return render(
        request,
        "suppliers/relationship_risk.html",
        {
            "rel": rel,
            "risk": summary,
            "lang": lang,
            "latest": latest,
            "section_rows": section_rows,
            "chart_height": len(section_rows) * 14,
            "explanation": explanation,
            "more_explanation": max(0, len(summary["explanation"]) - len(explanation)),
            "knockouts": [{"code": c, "text": questions.get(c, "")} for c in summary["knockouts"]],
            "history": history,
            "trend": _trend(scored),
            "decisions": q_selectors.residual_risk_decisions(rel),
            "can_propose": has_perm(request.membership, "decision.propose"),
        },
    )


def _trend(points) -> list[dict]:
    """Control score over time as SVG polyline coordinates in a 100 × 40 box."""
    if len(points) < 2:
        return []
    step = 100 / (len(points) - 1)
    return [
        {
            "x": round(i * step, 1),
            "y": round(40 - 40 * float(p.control_score) / 100, 1),
            "p": p,
        }
        for i, p in enumerate(points)
    ]
