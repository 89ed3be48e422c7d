"""The CISO portfolio dashboard, its drill-down lists (page and xlsx), the procurement pipeline."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.core.accounts.decorators import membership_required
from portal.core.xlsx import xlsx_response
from questionnaires.models import Severity
from suppliers.models import RelationshipStatus, SupplierType, Tier
from suppliers.selectors import relationships_for

from . import pipeline as pipeline_mod
from . import portfolio


def _owners(membership):
    """People who own a relationship of this organisation (for the owner filter)."""

    ids = (
        relationships_for(membership=membership)
        .exclude(owner=None)
        .order_by()
        .values_list("owner_id", flat=True)
        .distinct()
    )
    return get_user_model().objects.filter(pk__in=ids).order_by("name", "email")


def _filter_context(membership, scope) -> dict:
    return {
        "filters": scope.filters,
        "filter_query": scope.filters.as_query(),
        "type_choices": SupplierType.choices,
        "tier_choices": Tier.choices,
        "status_choices": RelationshipStatus.choices,
        "owners": _owners(membership),
    }


@membership_required("care.read")
def portfolio_dashboard(request):
    scope = portfolio.scope_for(request.membership, request.GET)
    counts = portfolio.figures(scope)
    labels = {key: m.label for key, m in portfolio.METRICS.items()}
    tiles = [
        (key, labels[key], counts[key])
        for key in (
            "incidents-open",
            "assessments-overdue",
            "assessments-review",
            "reassess-overdue",
            "reassess-upcoming",
            "findings-overdue",
            "certificates-expired",
            "certificates-expiring",
            "must-clauses",
            "exit-missing",
            "exit-unapproved",
            "exit-untested",
            "decisions-pending",
            "fourth-concentration",
        )
    ]
    context = {
        "counts": counts,
        "heatmap": portfolio.heatmap(counts),
        "histogram": portfolio.histogram(counts),
        "severities": [
            (f"findings-{s}", s, Severity(s).label, counts[f"findings-{s}"])
            for s in portfolio.SEVERITIES
        ],
        "tiles": tiles,
        "tier_labels": [(t, Tier(t).label) for t in portfolio.TIERS],
        "not_assessed": counts["not-assessed"],
        "today": scope.today,
        **_filter_context(request.membership, scope),
    }
    return render(request, "dashboards/portfolio.html", context)


COLUMNS = {
    "relationships": lambda: [
        _("Relationship"),
        _("Supplier"),
        _("Status"),
        _("Inherent tier"),
        _("Control score"),
        _("Residual risk"),
        _("Next assessment"),
        _("Owner"),
    ],
    "assessments": lambda: [
        _("Relationship"),
        _("Supplier"),
        _("Questionnaire"),
        _("Status"),
        _("Due date"),
    ],
    "findings": lambda: [
        _("Relationship"),
        _("Supplier"),
        _("Question"),
        _("Finding"),
        _("Severity"),
        _("Status"),
        _("Deadline"),
    ],
    "documents": lambda: [
        _("Supplier"),
        _("Certificate"),
        _("Kind"),
        _("Issuer"),
        _("Valid until"),
    ],
    "decisions": lambda: [
        _("Relationship"),
        _("Supplier"),
        _("Finding"),
        _("Accepted level"),
        _("Proposed by"),
        _("Proposed on"),
    ],
    "parties": lambda: [_("Fourth party"), _("Suppliers"), _("Relationships")],
}


def _cells(kind: str, row, lang: str) -> list:
    if kind == "relationships":
        return [
            row.name,
            row.supplier.name,
            row.get_status_display(),
            row.get_inherent_tier_display(),
            row.control_score if row.assessed else "",
            row.get_residual_risk_display() if row.assessed else _("not assessed"),
            row.next_assessment_due or "",
            (row.owner.get_full_name() or row.owner.email) if row.owner else "",
        ]
    if kind == "assessments":
        return [
            row.relationship.name,
            row.relationship.supplier.name,
            row.template.title_nl if lang == "nl" else row.template.title_en,
            row.get_status_display(),
            row.due_date or "",
        ]
    if kind == "findings":
        return [
            row.relationship.name,
            row.relationship.supplier.name,
            row.question_code,
            row.title_nl if lang == "nl" else row.title_en,
            row.get_severity_display(),
            row.get_status_display(),
            row.due_date,
        ]
    if kind == "documents":
        return [row.supplier.name, row.title, row.get_kind_display(), row.issuer, row.valid_until]
    if kind == "decisions":
        return [
            row.relationship.name,
            row.relationship.supplier.name,
            row.finding.question_code if row.finding else _("residual risk"),
            Tier(row.accepted_level).label if row.accepted_level in Tier.values else "",
            str(row.proposed_by or ""),
            row.proposed_at.date(),
        ]
    return [
        row["name"],
        ", ".join(s.name for s in row["suppliers"]),
        ", ".join(r.name for r in row["relationships"]),
    ]


@membership_required("care.read")
def portfolio_list(request, key: str):
    metric = portfolio.METRICS.get(key)
    if metric is None:
        raise Http404
    scope = portfolio.scope_for(request.membership, request.GET)
    rows = list(portfolio.metric_rows(scope, key))
    lang = (request.LANGUAGE_CODE or "nl")[:2]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"ketenwacht-{key}.xlsx",
            str(metric.label)[:31],
            COLUMNS[metric.kind](),
            (_cells(metric.kind, r, lang) for r in rows),
        )
    return render(
        request,
        "dashboards/portfolio_list.html",
        {
            "metric": metric,
            "rows": rows,
            "count": len(rows),
            **_filter_context(request.membership, scope),
        },
    )


@membership_required("care.read")
def pipeline(request):
    """Procurement's pipeline: prospect → active → ending, with assessment and contract status."""
    columns = pipeline_mod.pipeline(request.membership)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "ketenwacht-pipeline.xlsx",
            _("Pipeline"),
            [
                _("Stage"),
                _("Relationship"),
                _("Supplier"),
                _("Inherent tier"),
                _("Assessment"),
                _("Assessment due"),
                _("Contract"),
                _("Notice deadline"),
                _("Must-clauses missing"),
            ],
            (
                [
                    col["label"],
                    item["rel"].name,
                    item["rel"].supplier.name,
                    item["rel"].get_inherent_tier_display(),
                    item["assessment_label"],
                    item["assessment"].due_date if item["assessment"] else "",
                    item["contract_label"],
                    item["notice_deadline"] or "",
                    item["must_missing"],
                ]
                for col in columns
                for item in col["items"]
            ),
        )
    return render(request, "dashboards/pipeline.html", {"columns": columns})
