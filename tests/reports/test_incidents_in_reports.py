"""Issue 19 item 9: open incidents in the chain on the portfolio, the remote CISO's overview
(per organisation) and in the board report's "what changed"."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader

from portal.top.dashboards.portfolio import figures, scope_for
from portal.top.reports.builders import portfolio_report
from suppliers.incidents.models import Incident, Recipient
from tests.access import _incident
from tests.conftest import client_for


def _text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_the_portfolio_counts_relationships_hit_by_an_open_incident(cast):
    world = _incident(cast)
    assert figures(scope_for(cast.ciso, {}))["incidents-open"] == 1
    assert figures(scope_for(cast.other_care_ciso, {}))["incidents-open"] == 0
    page = client_for(cast.ciso).get(reverse("portfolio")).content.decode()
    assert "Relationships hit by an open incident at the supplier" in page
    rows = (
        client_for(cast.ciso)
        .get(reverse("portfolio_list", kwargs={"key": "incidents-open"}))
        .content.decode()
    )
    assert world["relationship"].name in rows
    # Assessed as not affected here, or closed: no longer counted.
    Recipient.objects.filter(pk=world["recipient"].pk).update(affected="no")
    assert figures(scope_for(cast.ciso, {}))["incidents-open"] == 0
    Recipient.objects.filter(pk=world["recipient"].pk).update(affected="yes")
    Incident.objects.filter(pk=world["incident"].pk).update(stage="closed")
    assert figures(scope_for(cast.ciso, {}))["incidents-open"] == 0


def test_the_remote_cisos_overview_shows_the_open_incidents_per_organisation(cast):
    _incident(cast)
    page = client_for(cast.ciso).get(reverse("remote_overview")).content.decode()
    assert 'data-metric="incidents-open" data-count="1"' in page


def test_the_board_report_lists_the_incidents_in_the_chain(cast):
    world = _incident(cast)
    text = _text(portfolio_report(cast.hospital, lang="en", membership=cast.ciso))
    assert "1 incident reported by a supplier" in text
    assert "Incidents in the chain" in text and "Ransomware bij hosting" in text
    assert "Unknown yet" in text  # not assessed here yet
    other = _text(portfolio_report(cast.other_care, lang="en", membership=cast.other_care_ciso))
    assert "Ransomware bij hosting" not in other and "Incidents in the chain" not in other
    assert world["incident"].recipients.count() == 1
