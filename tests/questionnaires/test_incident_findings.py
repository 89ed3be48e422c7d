"""A finding raised from a care organisation's copy of an incident (DESIGN §13, item 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.audit.models import AuditEvent
from questionnaires.models import Finding
from tests.access import _incident
from tests.conftest import client_for


def test_raise_a_finding_from_the_incident_on_an_affected_relationship(cast):
    world = _incident(cast)
    url = reverse("incident_raise_finding", args=[world["incident"].pk, world["relationship"].pk])
    response = client_for(cast.ciso).post(url, {"severity": "critical"})
    finding = Finding.objects.get(relationship=world["relationship"])
    assert response.status_code == 302 and response["Location"].endswith(f"/findings/{finding.pk}/")
    assert finding.question_code == f"INC-{world['incident'].pk}"
    assert finding.severity == "critical" and finding.status == "open"
    assert finding.owner == world["relationship"].owner
    assert finding.due_date > timezone.localdate()
    assert "Ransomware bij hosting" in finding.title_nl and "Ransomware" in finding.title_en
    assert AuditEvent.objects.filter(action="finding.raised", object_id=str(finding.pk)).exists()
    # twice changes nothing; the finding page opens for the CISO
    client_for(cast.ciso).post(url, {"severity": "low"})
    assert Finding.objects.filter(relationship=world["relationship"]).count() == 1
    assert (
        client_for(cast.ciso).get(reverse("finding_detail", args=[finding.pk])).status_code == 200
    )


@pytest.mark.parametrize("severity", ["", "catastrophic"])
def test_a_bad_severity_raises_nothing(cast, severity):
    world = _incident(cast)
    url = reverse("incident_raise_finding", args=[world["incident"].pk, world["relationship"].pk])
    response = client_for(cast.ciso).post(url, {"severity": severity})
    assert response.status_code == 302
    assert not Finding.objects.filter(relationship=world["relationship"]).exists()


def test_the_incident_page_offers_the_finding_button_to_the_security_officer(cast):
    world = _incident(cast)
    page = (
        client_for(cast.ciso)
        .get(reverse("incident_detail", args=[world["incident"].pk]))
        .content.decode()
    )
    assert (
        reverse("incident_raise_finding", args=[world["incident"].pk, world["relationship"].pk])
        in page
    )
