"""Changing the risk appetite: store it, then re-score every relationship of the organisation as a
background job with progress (the page and the API call this)."""

from __future__ import annotations

from django.db import transaction

from portal.core.jobs.models import Job

from . import selectors
from .risk import risk_appetite_set
from .tasks import rescore


def risk_appetite_change(
    *, membership, data: dict, actor, request=None
) -> tuple[list[str], Job | None]:
    """The changed keys and the re-scoring job (None when nothing changed). Bad values raise
    ValidationError and change nothing."""
    org = membership.organisation
    changed = risk_appetite_set(organisation=org, data=data, actor=actor, request=request)
    if not changed:
        return changed, None
    job = Job.objects.create(
        organisation=org,
        user=actor,
        kind="rescore",
        params={"changed": changed},
        total=selectors.relationships_for(membership=membership).count(),
    )
    transaction.on_commit(lambda: rescore.delay(job.pk))
    return changed, job
