"""Risk over time: the appetite, re-scoring, score history and the reassessment cadence.

- `appetite_for(org)`: the organisation's risk appetite completed with the DESIGN §6 defaults.
- `risk_appetite_set(...)`: validate, store and audit a new appetite; the caller starts
  `rescore_job` (a Celery task) which re-scores every relationship and reports progress.
- `compute(...)`: tier, band and residual risk of a relationship, in memory (the one place).
- `relationship_risk_cache_write(...)`: saves a relationship's cached risk after a completed
  assessment; `rescore_relationships` is its batch form, and an intake change (services) sets
  the same fields with `compute` in the save that stores the intake.
- `risk_record(...)`: one point of score history whenever the cached risk changes.
- `relationship_schedule(...)` / `relationship_mark_due(...)`: when the next assessment is due —
  by cadence after a completed assessment, or at once (the contract-renewal hook).
- `reassessments_notify(today)`: the daily run tells owners a month ahead, once per due date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Organisation
from portal.core.audit.services import audit_record
from portal.core.faults import fault_pause
from portal.core.jobs.models import Job, JobStatus
from portal.core.notifications.services import notice_kind, notify, once

from . import appetite as appetite_mod
from .models import INTAKE_FIELDS, Relationship, RelationshipStatus, RiskCause, RiskHistory
from .tiering import band_for, inherent_tier, residual_risk

REASSESSMENT_DUE = notice_kind(
    "relationship.reassessment_due", gettext_lazy("A reassessment falls due"), side="care"
)

NOTICE_DAYS = 30  # owners hear about a reassessment a month ahead (DESIGN §6.6)
RESCORE_CHUNK = 200
TRACKED = (
    "inherent_score",
    "inherent_tier",
    "control_score",
    "control_band",
    "residual_risk",
    "assessed",
)


def appetite_for(organisation) -> dict:
    return appetite_mod.effective((organisation.settings or {}).get("risk_appetite"))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def residual_for(rel: Relationship, *, band: str | None, knockouts, appetite: dict | None = None):
    """The residual risk of `rel` (at its cached tier) with this band and these knock-outs:
    DESIGN §6.5 with the organisation's matrix. `band` None: not assessed, the tier itself."""
    matrix = (appetite or appetite_for(rel.care_org))["matrix"]
    return residual_risk(rel.inherent_tier, band, knockouts, matrix)


def compute(rel: Relationship, appetite: dict) -> None:
    """Set tier, band and residual risk on `rel` (not saved) from its intake and cached score."""
    result = inherent_tier(rel.intake, appetite["tier_rules"])
    rel.inherent_score, rel.inherent_tier = result.score, result.tier
    if rel.assessed and rel.control_score is not None:
        rel.control_band = band_for(float(rel.control_score), appetite["band_thresholds"]) or ""
    knockouts = (rel.risk_explanation or {}).get("knockouts", []) if rel.assessed else []
    band = (rel.control_band or None) if rel.assessed else None
    rel.residual_risk = residual_for(rel, band=band, knockouts=knockouts, appetite=appetite)
    rel.risk_explanation = {
        **(rel.risk_explanation or {}),
        "tier_reasons": [r.as_dict() for r in result.reasons],
    }


class Assessed(NamedTuple):
    """A completed assessment's result as the relationship caches it."""

    control_score: Decimal | None
    band: str  # "" when nothing was counted
    scores: dict  # section_scores, knockouts, explanation


RISK_FIELDS = (*TRACKED, "risk_explanation", "scored_at")


def relationship_risk_cache_write(
    *,
    relationship: Relationship,
    cause: str,
    assessed: Assessed | None = None,
    assessment_id=None,
    appetite: dict | None = None,
) -> RiskHistory | None:
    """Recompute and save the relationship's cached risk; a history point when it changed.

    With `assessed` (a completed assessment) the control score, band and knock-outs are taken
    from it first. The caller holds the row (locked, or just created).
    """
    rel = relationship
    if assessed is not None:
        rel.control_score, rel.control_band, rel.assessed = (
            assessed.control_score,
            assessed.band,
            True,
        )
        rel.risk_explanation = {**(rel.risk_explanation or {}), **assessed.scores}
    compute(rel, appetite or appetite_for(rel.care_org))
    rel.scored_at = timezone.now()
    rel.save(update_fields=list(RISK_FIELDS))
    return risk_record(rel, cause, assessment_id=assessment_id)


def _snapshot(rel: Relationship, cause: str, assessment_id=None) -> RiskHistory:
    return RiskHistory(
        relationship=rel,
        cause=cause,
        inherent_score=rel.inherent_score,
        inherent_tier=rel.inherent_tier,
        control_score=rel.control_score,
        control_band=rel.control_band or "",
        residual_risk=rel.residual_risk,
        assessed=rel.assessed,
        section_scores=(
            (rel.risk_explanation or {}).get("section_scores", {}) if rel.assessed else {}
        ),
        assessment_id=assessment_id,
    )


def _differs(rel: Relationship, last: RiskHistory | None) -> bool:
    if last is None:
        return True
    return any(
        (getattr(rel, f) or None) != (getattr(last, f) or None)
        if f != "control_score"
        else (None if rel.control_score is None else float(rel.control_score))
        != (None if last.control_score is None else float(last.control_score))
        for f in TRACKED
    )


def risk_record(rel: Relationship, cause: str, *, assessment_id=None) -> RiskHistory | None:
    """Add a history point when the risk changed (a completed assessment always adds one)."""
    last = rel.history.order_by("-recorded_at", "-pk").first()
    if cause != RiskCause.ASSESSMENT and not _differs(rel, last):
        return None
    point = _snapshot(rel, cause, assessment_id)
    point.save()
    return point


# -- risk appetite ---------------------------------------------------------------------------


@transaction.atomic
def risk_appetite_set(*, organisation, data: dict, actor, request=None) -> list[str]:
    """Store a checked appetite; returns the changed settings (empty: nothing to re-score)."""

    try:
        clean = appetite_mod.validate(data)
    except appetite_mod.AppetiteError as exc:
        raise ValidationError({"__all__": exc.problems}) from exc
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old = (org.settings or {}).get("risk_appetite") or {}
    changed = appetite_mod.changed_keys(old, clean)
    if not changed:
        return []
    before = appetite_mod.effective(old)
    org.settings = {**(org.settings or {}), "risk_appetite": clean}
    org.save(update_fields=["settings"])
    organisation.settings = org.settings
    audit_record(
        action="risk_appetite.changed",
        organisation=org,
        actor=actor,
        obj=org,
        before={k: before[k] for k in changed},
        after={k: clean[k] for k in changed},
        request=request,
    )
    return changed


def rescore_relationships(*, organisation, job=None) -> int:
    """Re-score every relationship of `organisation` with its appetite; returns how many changed.

    Deterministic and idempotent: a retried or repeated run writes nothing new. Each chunk is
    locked and read afresh inside its transaction, so an intake change or a completion that
    committed meanwhile is not overwritten, and a second run of the same job (a redelivered
    task) waits and then finds nothing left to record.
    """
    appetite = appetite_for(organisation)
    ids = list(
        Relationship.objects.filter(care_org=organisation)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed_count = 0
    if job is not None:
        job.total, job.done, job.status = len(ids), 0, JobStatus.RUNNING
        # Only an unfinished job starts (again): a late second run leaves a finished one alone.
        if not Job.objects.filter(
            pk=job.pk, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        ).update(total=job.total, done=0, status=JobStatus.RUNNING):
            return 0
    for start in range(0, len(ids), RESCORE_CHUNK):
        chunk = ids[start : start + RESCORE_CHUNK]
        with transaction.atomic():
            rels = list(
                Relationship.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .only("pk", "care_org_id", "risk_explanation", *TRACKED, *INTAKE_FIELDS)
            )
            last = {}
            for point in RiskHistory.objects.filter(relationship_id__in=chunk).order_by(
                "relationship_id", "recorded_at", "pk"
            ):
                last[point.relationship_id] = point
            dirty, points = [], []
            for rel in rels:
                compute(rel, appetite)
                if _differs(rel, last.get(rel.pk)):
                    rel.scored_at = timezone.now()
                    dirty.append(rel)
                    points.append(_snapshot(rel, RiskCause.APPETITE))
            Relationship.objects.bulk_update(
                dirty,
                ["inherent_score", "inherent_tier", "control_band", "residual_risk"]
                + ["risk_explanation", "scored_at"],
            )
            RiskHistory.objects.bulk_create(points)
            changed_count += len(dirty)
            if job is not None:
                _job_chunk_done(job, done=start + len(chunk), changed=len(dirty))
        fault_pause("rescore.chunk")
    return changed_count


def _job_chunk_done(job, *, done: int, changed: int) -> None:
    """Progress, and the changes counted on the job's row: an interrupted or a parallel run
    of the same job adds to what the other committed instead of overwriting it."""

    locked = Job.objects.select_for_update().get(pk=job.pk)
    job.done = done
    job.result = {**locked.result, "changed": locked.result.get("changed", 0) + changed}
    job.save(update_fields=["done", "result"])


def rescore_job(*, job) -> None:
    """The body of the re-score task: progress on the job, a summary in the audit trail."""

    rescore_relationships(organisation=job.organisation, job=job)
    with transaction.atomic():  # done and audited once, even when two runs reach this point
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            return
        changed = locked.result.get("changed", 0)
        job.status, job.finished_at = JobStatus.DONE, timezone.now()
        job.result = {"changed": changed, "total": job.total}
        job.save(update_fields=["status", "finished_at", "result"])
        audit_record(
            action="relationships.rescored",
            organisation=job.organisation,
            actor=job.user,
            after={"changed": changed, "total": job.total, "job": job.pk},
        )


# -- reassessment cadence --------------------------------------------------------------------


def relationship_schedule(*, relationship: Relationship, completed_on: date) -> Relationship:
    """After a completed assessment: the next is due after the tier's cadence (DESIGN §6.6)."""
    months = appetite_for(relationship.care_org)["cadence_months"][relationship.inherent_tier]
    relationship.next_assessment_due = add_months(completed_on, months)
    relationship.due_reason = ""
    Relationship.objects.filter(pk=relationship.pk).update(
        next_assessment_due=relationship.next_assessment_due, due_reason=""
    )
    return relationship


@transaction.atomic
def relationship_mark_due(*, relationship: Relationship, reason: str, actor=None, on=None):
    """Mark a relationship due for reassessment now (e.g. at a contract renewal)."""
    on = on or timezone.localdate()
    rel = Relationship.objects.select_for_update().get(pk=relationship.pk)
    before = rel.next_assessment_due
    if rel.next_assessment_due is None or rel.next_assessment_due > on:
        rel.next_assessment_due = on
    rel.due_reason = reason[:200]
    rel.save(update_fields=["next_assessment_due", "due_reason"])
    audit_record(
        action="relationship.marked_due",
        organisation=rel.care_org,
        actor=actor,
        actor_label="" if actor else "system",
        obj=rel,
        before={"next_assessment_due": before.isoformat() if before else None},
        after={"next_assessment_due": rel.next_assessment_due.isoformat(), "reason": reason},
    )
    relationship.next_assessment_due, relationship.due_reason = rel.next_assessment_due, reason
    return rel


def reassessments_notify(*, today: date) -> int:
    """Tell each owner a month before a reassessment falls due; once per relationship and date."""

    sent = 0
    horizon = today + timedelta(days=NOTICE_DAYS)
    for rel in (
        Relationship.objects.filter(
            next_assessment_due__isnull=False,
            next_assessment_due__lte=horizon,
            owner__isnull=False,
            owner__is_active=True,
        )
        .exclude(status=RelationshipStatus.ENDED)
        .select_related("owner", "care_org", "supplier")
    ):
        if not rel.owner.memberships.filter(organisation=rel.care_org, is_active=True).exists():
            continue
        if not once(f"reassess:{rel.pk}:{rel.next_assessment_due.isoformat()}"):
            continue
        due = rel.next_assessment_due

        def render(rel=rel, due=due):
            return (
                _("Reassessment of %(name)s due on %(date)s")
                % {"name": rel.name, "date": due.isoformat()},
                _(
                    "The next assessment of %(name)s (%(supplier)s) is due on %(date)s. "
                    "Send the questionnaire in time so the supplier has a month to answer."
                )
                % {"name": rel.name, "supplier": rel.supplier.name, "date": due.isoformat()},
            )

        notify(
            user=rel.owner,
            organisation=rel.care_org,
            render=render,
            url=reverse("relationship_detail", args=[rel.pk]),
            kind=REASSESSMENT_DUE,
        )
        sent += 1
    return sent
