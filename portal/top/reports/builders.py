"""The report PDFs: the assessment report (a one-page board summary, then the answers) and the
quarterly portfolio report. The clause checklist and exit note come from the contracts layer."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from contracts.checklist import checklist_summary
from contracts.models import ExitNote
from portal.core import pdf
from portal.core.accounts.models import Membership
from portal.top.dashboards.portfolio import figures, scope_for
from questionnaires.assessments import choices_for
from questionnaires.findings import LIVE as LIVE_FINDINGS
from questionnaires.models import Assessment, Finding, RiskDecision
from suppliers.incidents.models import Recipient, Stage
from suppliers.models import Band, RiskHistory, Tier


def _tier(value: str) -> str:
    """A risk level in the reader's language, lower case inside a sentence ("kritiek")."""
    return str(Tier(value).label).lower() if value in Tier.values else value


def _band(value: str) -> str:
    return str(Band(value).label).lower() if value in Band.values else value


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT")


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
    """Page 1: the board summary in plain words; then the answers. In the reader's language,
    with Dutch or English dates and numbers."""
    with translation.override(lang):
        return _assessment_report(assessment, lang)


def _assessment_report(a, lang: str) -> bytes:

    rel = a.relationship
    s = pdf.styles()
    scores = a.scores or {}
    title = _("Assessment: %(rel)s") % {"rel": rel.name}
    meta = f"{rel.care_org.name} · {rel.supplier.name} · {a.template.title}"
    if a.completed_at:
        meta += " · " + _("completed on %(date)s") % {"date": _day(a.completed_at.date())}
    story = [
        pdf.p(title, s["h1"]),
        pdf.p(meta, s["small"]),
        pdf.p(_("Summary for the board"), s["h2"]),
    ]
    score = number_format(a.control_score, decimal_pos=1) if a.control_score is not None else "—"
    story.append(
        pdf.p(
            _(
                "For us, %(supplier)s is a supplier in risk tier %(tier)s. The answers score "
                "%(score)s of 100 (%(band)s); the residual risk is %(residual)s."
            )
            % {
                "supplier": rel.supplier.name,
                "tier": _tier(rel.inherent_tier),
                "score": score,
                "band": _band(a.control_band or ""),
                "residual": _tier(a.residual_risk),
            },
            s["body"],
        )
    )
    reasons = (rel.risk_explanation or {}).get("tier_reasons", [])
    if reasons:
        story.append(pdf.p(_("Why this tier"), s["h3"]))
        for r in reasons:
            story.append(pdf.p(f"• {r.get(lang) or r.get('nl')}", s["body"]))
    if scores.get("knockouts"):
        story.append(
            pdf.p(
                _(
                    "Failed knock-out questions: %(codes)s — this raises the residual risk to "
                    "at least high."
                )
                % {"codes": ", ".join(scores["knockouts"])},
                s["body"],
            )
        )
    if scores.get("section_scores"):
        story.append(pdf.p(_("Score per section"), s["h3"]))
        story.append(_section_chart(scores["section_scores"]))
    findings = list(
        Finding.objects.filter(relationship=rel, status__in=LIVE_FINDINGS).order_by(
            "due_date", "question_code", "pk"
        )
    )
    story.append(pdf.p(_("Open findings: %(n)s") % {"n": len(findings)}, s["h3"]))
    for f in findings:  # every one the heading counts
        story.append(
            pdf.p(
                _("• %(code)s (%(severity)s): %(title)s — by %(date)s")
                % {
                    "code": f.question_code,
                    "severity": _tier(f.severity),
                    "title": f.title_en if lang == "en" else f.title_nl,
                    "date": _day(f.due_date),
                },
                s["body"],
            )
        )
    clauses = checklist_summary(rel)
    note = ExitNote.objects.filter(relationship=rel).first()
    story.append(
        pdf.p(
            ngettext(
                "Contract: %(n)s must-clause is still missing.",
                "Contract: %(n)s must-clauses are still missing.",
                clauses["must_missing"],
            )
            % {"n": clauses["must_missing"]}
            + " "
            + _("Exit: lock-in %(level)s.")
            % {"level": _tier(note.lock_in) if note else _("unknown")},
            s["body"],
        )
    )
    story.append(PageBreak())
    story.append(pdf.p(_("Answers"), s["h2"]))
    rows = [[_("Question"), _("Answer"), _("Verdict")]]
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

    before: dict[int, str] = {}
    for rel_id, residual in (
        RiskHistory.objects.filter(relationship__in=rels, recorded_at__date__lt=since)
        .order_by("relationship_id", "recorded_at", "pk")
        .values_list("relationship_id", "residual_risk")
    ):
        before[rel_id] = residual  # the last one before `since` wins
    up = sum(1 for r in rels if r.pk in before and RANK[r.residual_risk] > RANK[before[r.pk]])
    down = sum(1 for r in rels if r.pk in before and RANK[r.residual_risk] < RANK[before[r.pk]])
    # assessments and findings carry their care organisation: no join over the installation
    mine = {"care_org": organisation}
    return {
        "new": sum(1 for r in rels if r.created_at.date() >= since),
        "completed": Assessment.objects.filter(**mine, completed_at__date__gte=since).count(),
        "raised": Finding.objects.filter(**mine, created_at__date__gte=since).count(),
        "closed": Finding.objects.filter(**mine, closed_at__date__gte=since).count(),
        "decided": RiskDecision.objects.filter(
            relationship__care_org=organisation, decided_at__date__gte=since
        ).count(),
        "incidents": Recipient.objects.filter(
            care_org=organisation, delivered_at__date__gte=since
        ).count(),
        "up": up,
        "down": down,
    }


def _incidents(organisation, since, s) -> list:
    """Incidents in the chain (DESIGN §13): those reported in the period and those still
    open, with the organisation's own assessment of whether it is affected."""
    copies = (
        Recipient.objects.filter(care_org=organisation)
        .filter(Q(delivered_at__date__gte=since) | ~Q(incident__stage=Stage.CLOSED))
        .select_related("incident__supplier")
        .order_by("-incident__detected_at", "pk")
    )
    rows = [[_("Detected"), _("Supplier and incident"), _("Stage"), _("Affected here")]]
    for copy in copies[:20]:
        incident = copy.incident
        rows.append(
            [
                _day(timezone.localdate(incident.detected_at)),
                f"{incident.supplier.name}: {incident.title}",
                str(incident.get_stage_display()),
                str(copy.get_affected_display()),
            ]
        )
    if len(rows) == 1:
        return []
    return [pdf.p(_("Incidents in the chain"), s["h3"]), _table(rows, [24, 80, 36, 34], s)]


def portfolio_report(organisation, since=None, lang: str = "nl", *, membership=None) -> bytes:
    """The quarterly report for the board: state and trend, changes, decisions, top risks,
    overdue work — in the board's language. Every figure comes from the portfolio's own
    selectors (`portal.top.dashboards.portfolio.figures`), so the PDF and the pages agree.
    `membership` is the requester's; without one, any active member's view of the
    organisation is used (the figures are organisation-wide for every care role)."""

    if membership is None:
        membership = (
            Membership.objects.active().filter(organisation=organisation).order_by("pk").first()
        )
    with translation.override(lang):
        return _portfolio_report(organisation, membership, since)


def _portfolio_report(organisation, membership, since) -> bytes:

    s = pdf.styles()
    today = timezone.localdate()
    since = since or today - timedelta(days=91)
    scope = scope_for(membership, {}, today)
    counts = figures(scope)
    rels = list(scope.rels)
    title = _("Supply-chain risk: board report")
    story = [
        pdf.p(title, s["h1"]),
        pdf.p(f"{organisation.name} · {_day(since)} – {_day(today)}", s["small"]),
        pdf.p(_("Where we stand"), s["h2"]),
    ]
    residual = {tier: 0 for tier in Tier.values}
    for r in rels:
        if r.assessed:  # never assessed: its residual risk is only its tier, counted apart
            residual[r.residual_risk] += 1
    story.append(
        pdf.p(
            ngettext(
                "%(n)s supplier relationship.",
                "%(n)s supplier relationships.",
                counts["relationships"],
            )
            % {"n": counts["relationships"]}
            + " "
            + _(
                "Residual risk of the assessed ones: %(critical)s critical, %(high)s high, "
                "%(medium)s medium, %(low)s low; not assessed yet: %(not_assessed)s."
            )
            % {**residual, "not_assessed": counts["not-assessed"]},
            s["body"],
        )
    )
    story.append(pdf.p(_("What changed"), s["h2"]))
    delta = changes_since(organisation, since, rels)
    parts = [
        ngettext("%(n)s new relationship", "%(n)s new relationships", delta["new"]),
        ngettext("%(n)s assessment completed", "%(n)s assessments completed", delta["completed"]),
        ngettext("%(n)s finding raised", "%(n)s findings raised", delta["raised"]),
        ngettext("%(n)s finding closed", "%(n)s findings closed", delta["closed"]),
        ngettext("%(n)s risk decision taken", "%(n)s risk decisions taken", delta["decided"]),
        ngettext(
            "%(n)s incident reported by a supplier",
            "%(n)s incidents reported by suppliers",
            delta["incidents"],
        ),
    ]
    counts_of = ("new", "completed", "raised", "closed", "decided", "incidents")
    story.append(
        pdf.p(
            _("Since %(date)s: %(changes)s.")
            % {
                "date": _day(since),
                "changes": ", ".join(
                    p % {"n": delta[k]} for p, k in zip(parts, counts_of, strict=True)
                ),
            }
            + " "
            + _("Residual risk went up for %(up)s and down for %(down)s relationships.") % delta,
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
    rows = [[_("Date"), _("Relationship"), _("Cause"), _("Residual risk")]]
    for h in changes[:40]:
        rows.append(
            [
                _day(h.recorded_at.date()),
                h.relationship.name,
                str(h.get_cause_display()),
                _tier(h.residual_risk),
            ]
        )
    if len(rows) > 1:
        story.append(_table(rows, [28, 66, 50, 30], s))
    else:
        story.append(pdf.p(_("No changes in this period."), s["body"]))
    story.extend(_incidents(organisation, since, s))
    story.append(pdf.p(_("Decisions awaiting the board"), s["h2"]))
    pending = RiskDecision.objects.filter(
        relationship__care_org=organisation, status="proposed"
    ).select_related("relationship", "finding")
    for d in pending:
        what = d.finding.question_code if d.finding else _("residual risk")
        story.append(pdf.p(f"• {d.relationship.name} — {what}: {d.motivation[:200]}", s["body"]))
    if not pending:
        story.append(pdf.p(_("None."), s["body"]))
    story.append(pdf.p(_("Top risks"), s["h2"]))
    top = sorted(
        (r for r in rels if r.assessed and r.residual_risk in ("critical", "high")),
        key=lambda r: (r.residual_risk != "critical", r.name),
    )
    for r in top[:10]:
        story.append(
            pdf.p(
                _("• %(rel)s (%(supplier)s): residual risk %(level)s.")
                % {"rel": r.name, "supplier": r.supplier.name, "level": _tier(r.residual_risk)},
                s["body"],
            )
        )
    if not top:
        story.append(pdf.p(_("No supplier with a high or critical residual risk."), s["body"]))
    story.append(pdf.p(_("Overdue work"), s["h2"]))
    story.append(
        pdf.p(
            _(
                "Findings past their deadline: %(findings)s. Overdue questionnaires: "
                "%(assessments)s. Exit notes not approved: %(exit)s."
            )
            % {
                "findings": counts["findings-overdue"],
                "assessments": counts["assessments-overdue"],
                "exit": counts["exit-unapproved"],
            },
            s["body"],
        )
    )
    story.append(Spacer(1, 6))
    return pdf.build(story, title=title, footer=f"Ketenwacht · {organisation.name} · {title}")
