"""The board report says what changed since the last report, in figures."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.utils import timezone
from pypdf import PdfReader

from portal.top.reports.builders import changes_since, portfolio_report
from suppliers.models import Relationship, RiskHistory
from tests.access import _finding


def _history(rel, residual):
    RiskHistory.objects.create(
        relationship=rel, cause="intake", inherent_score=1, inherent_tier=rel.inherent_tier,
        residual_risk=residual,
    )  # fmt: skip


def test_changes_since_the_last_report(cast):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=120), tick=False):
        world = _finding(cast)  # relationship, completed assessment and its findings: old news
        up = world["relationship"]
        down = Relationship.objects.create(
            care_org=cast.hospital, supplier=cast.supplier, name="Daalt", intake_data=1,
            intake_volume=1, intake_continuity=1, intake_access=1, intake_substitutability=1,
        )  # fmt: skip
        _history(up, "low")
        _history(down, "critical")
    since = (now - timedelta(days=30)).date()
    Relationship.objects.filter(pk=up.pk).update(residual_risk="high")
    Relationship.objects.filter(pk=down.pk).update(residual_risk="medium")
    Relationship.objects.create(
        care_org=cast.hospital, supplier=cast.supplier, name="Nieuw", intake_data=1,
        intake_volume=1, intake_continuity=1, intake_access=1, intake_substitutability=1,
    )  # fmt: skip
    finding = up.findings.first()
    finding.status, finding.closed_at = "resolved", now
    finding.save()
    rels = list(Relationship.objects.filter(care_org=cast.hospital))
    delta = changes_since(cast.hospital, since, rels)
    assert delta == {
        "new": 1, "completed": 0, "raised": 0, "closed": 1, "decided": 0, "incidents": 0,
        "up": 1, "down": 1,
    }  # fmt: skip
    # another organisation's changes never count
    assert changes_since(cast.other_care, since, [])["closed"] == 0
    pdf = portfolio_report(cast.hospital, since=since, lang="en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "1 new relationship," in text.replace("\n", " ")
    assert "Residual risk went up for 1 and down for 1" in text.replace("\n", " ")
