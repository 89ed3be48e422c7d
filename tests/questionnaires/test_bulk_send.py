"""Bulk send as a background job with progress; a retried job never sends twice."""

from __future__ import annotations

from django.urls import reverse

from portal.core.jobs.models import Job
from questionnaires.assessments import bulk_send
from questionnaires.models import Assessment
from questionnaires.services import banks_load
from suppliers.services import relationship_create
from tests.access import _relationship
from tests.conftest import client_for


def test_bulk_send_with_progress_and_idempotent_retry(cast, django_capture_on_commit_callbacks):
    banks_load()
    first = _relationship(cast)["relationship"]  # critical
    second = relationship_create(
        care_org=cast.hospital,
        supplier=first.supplier,
        name="Klein",
        supplier_types=["other"],
        intake={"data": 1, "volume": 0, "continuity": 1, "access": 0, "substitutability": 0},
        actor=cast.procurement.user,
    )  # low
    client = client_for(cast.procurement)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment_bulk_send"), {"relationships": [first.pk, second.pk, 999999]}
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", kwargs={"pk": job.pk})
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.progress) == ("done", 2, 2, 100)
    keys = dict(Assessment.objects.values_list("relationship__name", "template__key"))
    assert keys == {"EPD": "zorg-leveranciers", "Klein": "zorg-leveranciers-licht"}
    page = client.get(reverse("job_detail", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true")
    assert "2 questionnaires sent" in page.content.decode()
    # A worker that dies and retries the task finds the work done and sends nothing twice.
    job.status = "running"
    job.save()
    bulk_send(job=job)
    assert Assessment.objects.count() == 2


def test_bulk_send_needs_a_selection(cast):
    response = client_for(cast.procurement).post(reverse("assessment_bulk_send"), {})
    assert response.status_code == 302 and not Job.objects.exists()
