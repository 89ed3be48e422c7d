"""Every list downloads as a spreadsheet (`?format=xlsx`): the same rows, formula-safe,
only the organisation's own data."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.core.xlsx import safe_cell
from questionnaires.models import Finding
from suppliers.models import Relationship
from tests.access import _finding
from tests.conftest import client_for
from tests.reports.test_portfolio import _generate

EVIL = '=HYPERLINK("http://evil.example","klik")'


def _sheet(client, url, params=None):
    r = client.get(url, {**(params or {}), "format": "xlsx"})
    assert r.status_code == 200, url
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(r.content)).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _no_formulas(rows):
    for row in rows:
        for v in row:
            assert not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))), v


@pytest.fixture
def world(cast):
    w = _finding(cast)
    Relationship.objects.filter(pk=w["relationship"].pk).update(name=EVIL)
    _generate(cast.hospital, 8)
    return w


def test_relationships_list(cast, world):
    rows = _sheet(client_for(cast.procurement), reverse("supplier_list"))
    assert len(rows) - 1 == Relationship.objects.filter(care_org=cast.hospital).count()
    assert "'" + EVIL in [r[0] for r in rows]
    _no_formulas(rows)


def test_assessments_list_both_sides(cast, world):
    care = _sheet(client_for(cast.ciso), reverse("assessment_list"))
    assert len(care) == 2 and care[1][0] == "Leverancier B.V." and care[1][1] == "'" + EVIL
    supplier = _sheet(client_for(cast.supplier_owner), reverse("assessment_list"))
    assert supplier[1][0] == "Ziekenhuis Test"
    _no_formulas(care + supplier)


def test_findings_list_keeps_the_filter(cast, world):
    finding = world["finding"]
    Finding.objects.filter(pk=finding.pk).update(plan="-1+1 plan")
    rows = _sheet(client_for(cast.ciso), reverse("finding_list"))
    assert len(rows) - 1 == Finding.objects.filter(relationship__care_org=cast.hospital).count()
    assert rows[1][8] == "'-1+1 plan"
    other_sev = "low" if finding.severity != "low" else "high"
    assert len(_sheet(client_for(cast.ciso), reverse("finding_list"), {"severity": other_sev})) == 1
    supplier = _sheet(client_for(cast.supplier_owner), reverse("finding_list"))
    assert supplier[1][0] == "Ziekenhuis Test"
    _no_formulas(rows + supplier)


def test_reassessments_and_fourth_parties(cast, world):
    client = client_for(cast.ciso)
    page = client.get(reverse("reassessment_list"), {"within": 365}).content.decode()
    rows = _sheet(client, reverse("reassessment_list"), {"within": 365})
    assert len(rows) > 1 and all(r[0] in page for r in rows[1:] if not r[0].startswith("'"))
    parties = _sheet(client, reverse("fourth_parties"))
    assert any(r[1] == "Shared Cloud" for r in parties[1:])
    _no_formulas(rows + parties)


def test_another_organisation_downloads_only_its_own(cast, world):
    other = client_for(cast.other_care_ciso)
    assert _sheet(other, reverse("supplier_list")) == [_sheet(other, reverse("supplier_list"))[0]]
    assert len(_sheet(other, reverse("finding_list"))) == 1
    assert len(_sheet(other, reverse("assessment_list"))) == 1


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("  =cmd", "'  =cmd"),
        ("gewoon tekst", "gewoon tekst"),
        (42, 42),
    ],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe
