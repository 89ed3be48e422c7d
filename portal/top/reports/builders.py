"""The report PDFs: the assessment report (a one-page board summary, then the answers) and the
quarterly portfolio report. The clause checklist and exit note come from the contracts layer."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from portal.core import pdf

TIER_NL = {"low": "laag", "medium": "midden", "high": "hoog", "critical": "kritiek"}
BAND_NL = {"strong": "sterk", "adequate": "voldoende", "weak": "zwak", "poor": "onvoldoende"}


def _t(lang, nl, en):
    return en if lang == "en" else nl


def _tier(lang, tier):
    return tier if lang == "en" else TIER_NL.get(tier, tier)


def _table(rows, widths, s):
    data = [
        [pdf.p(c, s["cellbold"] if i == 0 else s["cell"]) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.PRIMARY),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c5ced6")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef4f7")),
            ]
        )
    )
    return table


def _section_chart(section_scores: dict) -> Drawing:
    """Score per section as horizontal bars (0–100), lowest first."""
    items = sorted(section_scores.items(), key=lambda kv: (kv[1], kv[0]))[:18]
    height = 14 * len(items) + 30
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 40, 15
    chart.height, chart.width = height - 25, 170 * mm - 60
    chart.data = [[v for _k, v in items]]
    chart.categoryAxis.categoryNames = [k for k, _v in items]
    chart.categoryAxis.labels.fontName = pdf.FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = pdf.FONT
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = pdf.PRIMARY
    chart.bars.strokeWidth = 0
    drawing.add(chart)
    return drawing


def assessment_report(assessment, lang: str = "nl") -> bytes:
    """Page 1: the board summary in plain words; then the answers."""
    from contracts.checklist import checklist_summary
    from contracts.models import ExitNote
    from questionnaires.assessments import choices_for

    a, rel = assessment, assessment.relationship
    s = pdf.styles()
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    scores = a.scores or {}
    title = t("Beoordeling", "Assessment") + f": {rel.name}"
    story = [
        pdf.p(title, s["h1"]),
        pdf.p(
            f"{rel.care_org.name} · {rel.supplier.name} · {a.template.title} · "
            + t("afgerond", "completed")
            + f" {a.completed_at:%Y-%m-%d}"
            if a.completed_at
            else "",
            s["small"],
        ),
        pdf.p(t("Samenvatting voor het bestuur", "Summary for the board"), s["h2"]),
    ]
    band = a.control_band or ""
    summary = t(
        f"{rel.supplier.name} is voor ons een leverancier met risicoklasse "
        f"{_tier(lang, rel.inherent_tier)}. De antwoorden scoren {a.control_score} van 100 "
        f"({BAND_NL.get(band, band)}); het restrisico is {_tier(lang, a.residual_risk)}.",
        f"{rel.supplier.name} is a {_tier(lang, rel.inherent_tier)}-tier supplier for us. "
        f"The answers score {a.control_score} of 100 ({band}); the residual risk is "
        f"{_tier(lang, a.residual_risk)}.",
    )
    story.append(pdf.p(summary, s["body"]))
    reasons = (rel.risk_explanation or {}).get("tier_reasons", [])
    if reasons:
        story.append(pdf.p(t("Waarom deze risicoklasse", "Why this tier"), s["h3"]))
        for r in reasons:
            story.append(pdf.p(f"• {r.get(lang) or r.get('nl')}", s["body"]))
    if scores.get("knockouts"):
        story.append(
            pdf.p(
                t("Niet gehaalde knock-outvragen: ", "Failed knock-out questions: ")
                + ", ".join(scores["knockouts"])
                + t(
                    " — dit verhoogt het restrisico tot ten minste hoog.",
                    " — this raises the residual risk to at least high.",
                ),
                s["body"],
            )
        )
    if scores.get("section_scores"):
        story.append(pdf.p(t("Score per onderdeel", "Score per section"), s["h3"]))
        story.append(_section_chart(scores["section_scores"]))
    findings = list(rel.findings.filter(status__in=("open", "remediation_planned")))
    story.append(
        pdf.p(t(f"Open bevindingen: {len(findings)}", f"Open findings: {len(findings)}"), s["h3"])
    )
    for f in findings[:8]:
        story.append(
            pdf.p(
                f"• {f.question_code} ({_tier(lang, f.severity)}): "
                f"{f.title_en if lang == 'en' else f.title_nl} — "
                + t("uiterlijk ", "by ")
                + f.due_date.isoformat(),
                s["body"],
            )
        )
    clauses = checklist_summary(rel)
    note = ExitNote.objects.filter(relationship=rel).first()
    story.append(
        pdf.p(
            t(
                f"Contract: {clauses['must_missing']} verplichte clausules ontbreken nog. "
                f"Exit: lock-in {_tier(lang, note.lock_in) if note else 'onbekend'}.",
                f"Contract: {clauses['must_missing']} must-clauses are still missing. "
                f"Exit: lock-in {note.lock_in if note else 'unknown'}.",
            ),
            s["body"],
        )
    )
    story.append(PageBreak())
    story.append(pdf.p(t("Antwoorden", "Answers"), s["h2"]))
    rows = [[t("Vraag", "Question"), t("Antwoord", "Answer"), t("Oordeel", "Verdict")]]
    answers = {
        x.question_id: x for x in a.answers.filter(prefilled=False).select_related("question")
    }
    for q in a.template.questions.select_related("section").order_by("section__order", "order"):
        ans = answers.get(q.pk)
        value = "" if ans is None or ans.value is None else ans.value
        # Choice labels and the verdict in the reader's language, never the stored codes.
        labels = {c["value"]: (c.get("label") or {}).get(lang) for c in choices_for(q)}
        values = value if isinstance(value, list) else [value] if value != "" else []
        shown = ", ".join(str(labels.get(v) or v) for v in values)
        with translation.override(lang):
            verdict = str(ans.get_verdict_display()) if ans and ans.verdict else ""
        text = q.text_en if lang == "en" else q.text_nl
        rows.append([f"{q.code} {text}", shown or "—", verdict])
    story.append(_table(rows, [100, 46, 28], s))
    return pdf.build(story, title=title, footer=f"Ketenwacht · {title}")


RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def changes_since(organisation, since, rels) -> dict:
    """What changed since the last board report, in figures: relationships added, assessments
    completed, findings raised and closed, decisions taken, residual risk up and down (each
    live relationship's residual risk now against its last recorded value before `since`)."""
    from questionnaires.models import Assessment, Finding, RiskDecision
    from suppliers.models import RiskHistory

    before: dict[int, str] = {}
    for rel_id, residual in (
        RiskHistory.objects.filter(relationship__in=rels, recorded_at__date__lt=since)
        .order_by("relationship_id", "recorded_at", "pk")
        .values_list("relationship_id", "residual_risk")
    ):
        before[rel_id] = residual  # the last one before `since` wins
    up = sum(1 for r in rels if r.pk in before and RANK[r.residual_risk] > RANK[before[r.pk]])
    down = sum(1 for r in rels if r.pk in before and RANK[r.residual_risk] < RANK[before[r.pk]])
    mine = {"relationship__care_org": organisation}
    return {
        "new": sum(1 for r in rels if r.created_at.date() >= since),
        "completed": Assessment.objects.filter(**mine, completed_at__date__gte=since).count(),
        "raised": Finding.objects.filter(**mine, created_at__date__gte=since).count(),
        "closed": Finding.objects.filter(**mine, closed_at__date__gte=since).count(),
        "decided": RiskDecision.objects.filter(**mine, decided_at__date__gte=since).count(),
        "up": up,
        "down": down,
    }


def portfolio_report(organisation, since=None, lang: str = "nl") -> bytes:
    """The quarterly report for the board: state and trend, changes, decisions, top risks,
    overdue work — in the board's language."""
    from contracts.models import ExitNote
    from questionnaires.models import Assessment, Finding, RiskDecision
    from suppliers.models import Relationship, RiskHistory

    s = pdf.styles()
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    today = timezone.localdate()
    since = since or today - timedelta(days=91)
    rels = list(Relationship.objects.filter(care_org=organisation).exclude(status="ended"))
    title = t("Ketenrisico's: rapportage aan het bestuur", "Supply-chain risk: board report")
    story = [
        pdf.p(title, s["h1"]),
        pdf.p(f"{organisation.name} · {since.isoformat()} – {today.isoformat()}", s["small"]),
        pdf.p(t("Stand van zaken", "Where we stand"), s["h2"]),
    ]
    counts = {tier: 0 for tier in ("critical", "high", "medium", "low")}
    for r in rels:
        counts[r.residual_risk] += 1
    story.append(
        pdf.p(
            t(
                f"{len(rels)} leveranciersrelaties. Restrisico: {counts['critical']} kritiek, "
                f"{counts['high']} hoog, {counts['medium']} midden, {counts['low']} laag.",
                f"{len(rels)} supplier relationships. Residual risk: {counts['critical']} critical, "
                f"{counts['high']} high, {counts['medium']} medium, {counts['low']} low.",
            ),
            s["body"],
        )
    )
    story.append(pdf.p(t("Wat er veranderde", "What changed"), s["h2"]))
    delta = changes_since(organisation, since, rels)
    story.append(
        pdf.p(
            t(
                f"Sinds {since.isoformat()}: {delta['new']} nieuwe relaties, "
                f"{delta['completed']} beoordelingen afgerond, {delta['raised']} bevindingen "
                f"gemeld en {delta['closed']} afgesloten, {delta['decided']} risicobesluiten "
                f"genomen. Restrisico gestegen bij {delta['up']} en gedaald bij "
                f"{delta['down']} relaties.",
                f"Since {since.isoformat()}: {delta['new']} new relationships, "
                f"{delta['completed']} assessments completed, {delta['raised']} findings raised "
                f"and {delta['closed']} closed, {delta['decided']} risk decisions taken. Residual "
                f"risk went up for {delta['up']} and down for {delta['down']} relationships.",
            ),
            s["body"],
        )
    )
    changes = (
        RiskHistory.objects.filter(
            relationship__care_org=organisation, recorded_at__date__gte=since
        )
        .exclude(cause="created")
        .select_related("relationship")
        .order_by("recorded_at")
    )
    rows = [
        [
            t("Datum", "Date"),
            t("Relatie", "Relationship"),
            t("Aanleiding", "Cause"),
            t("Restrisico", "Residual risk"),
        ]
    ]
    with translation.override(lang):
        for h in changes[:40]:
            rows.append(
                [
                    h.recorded_at.date().isoformat(),
                    h.relationship.name,
                    str(h.get_cause_display()),
                    _tier(lang, h.residual_risk),
                ]
            )
    if len(rows) > 1:
        story.append(_table(rows, [24, 70, 50, 30], s))
    else:
        story.append(
            pdf.p(t("Geen wijzigingen in deze periode.", "No changes in this period."), s["body"])
        )
    story.append(
        pdf.p(t("Besluiten die op het bestuur wachten", "Decisions awaiting the board"), s["h2"])
    )
    pending = RiskDecision.objects.filter(
        relationship__care_org=organisation, status="proposed"
    ).select_related("relationship", "finding")
    for d in pending:
        what = d.finding.question_code if d.finding else t("restrisico", "residual risk")
        story.append(pdf.p(f"• {d.relationship.name} — {what}: {d.motivation[:200]}", s["body"]))
    if not pending:
        story.append(pdf.p(t("Geen.", "None."), s["body"]))
    story.append(pdf.p(t("Grootste risico's", "Top risks"), s["h2"]))
    top = sorted(
        (r for r in rels if r.residual_risk in ("critical", "high")),
        key=lambda r: (r.residual_risk != "critical", r.name),
    )
    for r in top[:10]:
        story.append(
            pdf.p(
                t(
                    f"• {r.name} ({r.supplier.name if hasattr(r, 'supplier') else ''}): "
                    f"restrisico {_tier(lang, r.residual_risk)}.",
                    f"• {r.name}: residual risk {r.residual_risk}.",
                ),
                s["body"],
            )
        )
    if not top:
        story.append(
            pdf.p(
                t(
                    "Geen leverancier met een hoog of kritiek restrisico.",
                    "No supplier with a high or critical residual risk.",
                ),
                s["body"],
            )
        )
    story.append(pdf.p(t("Achterstallig werk", "Overdue work"), s["h2"]))
    overdue_findings = Finding.objects.filter(
        relationship__care_org=organisation,
        status__in=("open", "remediation_planned"),
        due_date__lt=today,
    ).count()
    overdue_assessments = Assessment.objects.filter(
        relationship__care_org=organisation,
        status__in=("sent", "in_progress", "clarification_requested"),
        due_date__lt=today,
    ).count()
    unapproved = (
        ExitNote.objects.filter(relationship__care_org=organisation)
        .exclude(status="approved")
        .count()
    )
    story.append(
        pdf.p(
            t(
                f"Bevindingen over de termijn: {overdue_findings}. Te late vragenlijsten: "
                f"{overdue_assessments}. Exitstrategieën niet goedgekeurd: {unapproved}.",
                f"Findings past their deadline: {overdue_findings}. Overdue questionnaires: "
                f"{overdue_assessments}. Exit notes not approved: {unapproved}.",
            ),
            s["body"],
        )
    )
    story.append(Spacer(1, 6))
    return pdf.build(story, title=title, footer=f"Ketenwacht · {organisation.name} · {title}")
