"""Operational tasks of the portal shell."""

from celery import shared_task

from portal.core.accounts.models import Organisation
from portal.core.audit.services import audit_record


@shared_task(name="portal.worker_selftest")
def worker_selftest(organisation_id: int) -> dict:
    """Proves a worker is wired up: reads the database, writes an audit event, returns a result."""
    org = Organisation.objects.get(pk=organisation_id)
    audit_record(action="worker.selftest", organisation=org, actor_label="celery")
    return {"organisation": org.slug, "members": org.memberships.filter(is_active=True).count()}
