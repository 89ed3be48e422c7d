"""The clause checklist: generation with reasons, regeneration that keeps human work, status
rules, exports (PDF read back, xlsx formula-safe), the API, and library validation."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from contracts import checklist as cl
from contracts.library import ClauseFileError, library_load, parse_library
from contracts.models import ChecklistItem, Clause
from portal.core.exceptions import Conflict
from suppliers.services import relationship_update
from tests.access import _contract, _relationship
from tests.conftest import client_for

LIBRARY = """
- code: T-ALWAYS
  title: {nl: "Altijd", en: "Always"}
  requirement: {nl: "Geldt altijd.", en: "Always applies."}
  basis: ["AVG:28.3"]
  category: privacy
  priority: must
- code: T-HEALTH
  title: {nl: "Gezondheidsgegevens – ëïé", en: "Health data"}
  requirement: {nl: "Bij gezondheidsgegevens.", en: "With health data."}
  basis: ["AVG:9"]
  category: privacy
  priority: must
  applies_if: {fact: intake.data, op: gte, value: 3}
- code: T-CRIT
  title: {nl: "Kritiek", en: "Critical"}
  requirement: {nl: "Bij kritiek.", en: "When critical."}
  basis: ["DORA:28.8"]
  category: exit
  priority: should
  applies_if: {fact: relationship.tier, op: in, value: [critical]}
- code: T-CLOUD
  title: {nl: "=HYPERLINK(\\"x\\")", en: "Cloud"}
  requirement: {nl: "Cloud.", en: "Cloud."}
  basis: ["DATAACT:25"]
  category: exit
  priority: must
  applies_if: {fact: supplier.types, op: contains, value: cloud}
"""


@pytest.fixture
def library(tmp_path) -> Path:
    path = tmp_path / "clauses.yaml"
    path.write_text(LIBRARY, encoding="utf-8")
    library_load(path)
    return path


def test_generation_gives_reasons_and_regeneration_keeps_human_work(cast, library):
    rel = _relationship(cast)["relationship"]  # data 3, continuity 3: critical, type epd
    counts = cl.checklist_generate(relationship=rel, actor=cast.procurement.user)
    assert counts["added"] == 3
    items = {i.clause.code: i for i in ChecklistItem.objects.filter(relationship=rel)}
    assert set(items) == {"T-ALWAYS", "T-HEALTH", "T-CRIT"}
    assert items["T-HEALTH"].reasons[0]["en"].startswith("Intake — Data sensitivity: Health data")
    assert items["T-CRIT"].reasons == [
        {"nl": "Risicoklasse: kritiek", "en": "Inherent tier: critical"}
    ]
    cl.checklist_item_update(
        item=items["T-HEALTH"],
        actor=cast.procurement.user,
        status="waived",
        motivation="Geregeld in de raamovereenkomst",
    )
    # Lower the intake: health data and critical no longer apply; the waiver is kept, marked.
    relationship_update(
        relationship=rel,
        actor=cast.procurement.user,
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
        supplier_types=["cloud"],
    )
    items = {i.clause.code: i for i in ChecklistItem.objects.filter(relationship=rel)}
    assert set(items) == {"T-ALWAYS", "T-HEALTH", "T-CRIT", "T-CLOUD"}
    assert (items["T-HEALTH"].triggered, items["T-HEALTH"].status) == (False, "waived")
    assert items["T-CLOUD"].triggered and items["T-CLOUD"].status == "missing"
    summary = cl.checklist_summary(rel)
    assert (summary["total"], summary["must_missing"]) == (2, 2)


def test_status_rules_and_stale_edits(cast, library):
    world = _contract(cast)
    rel = world["relationship"]
    cl.checklist_generate(relationship=rel)
    item = ChecklistItem.objects.get(relationship=rel, clause__code="T-ALWAYS")
    with pytest.raises(ValidationError):
        cl.checklist_item_update(item=item, actor=cast.procurement.user, status="present")
    with pytest.raises(ValidationError):
        cl.checklist_item_update(item=item, actor=cast.procurement.user, status="waived")
    with pytest.raises(ValidationError):
        cl.checklist_item_update(item=item, actor=cast.procurement.user, status="unknown")
    updated = cl.checklist_item_update(
        item=item,
        actor=cast.procurement.user,
        status="present",
        contract=world["contract"],
        article="art. 12.3",
        version=item.version,
    )
    assert updated.contract_reference == "C-2026-01 art. 12.3"
    with pytest.raises(Conflict):
        cl.checklist_item_update(
            item=item, actor=cast.procurement.user, status="missing", version=item.version
        )
    assert ChecklistItem.objects.get(pk=item.pk).status == "present"


def test_pages_exports_and_api(cast, library, as_api):
    world = _contract(cast)
    rel = world["relationship"]
    client = client_for(cast.procurement)
    client.post(reverse("checklist_regenerate", kwargs={"pk": rel.pk}))
    item = ChecklistItem.objects.get(relationship=rel, clause__code="T-HEALTH")
    r = client.post(
        reverse("checklist_item", kwargs={"pk": rel.pk, "item": item.pk}),
        {
            f"c{item.pk}-status": "present",
            f"c{item.pk}-contract": world["contract"].pk,
            f"c{item.pk}-article": "bijlage 2",
        },
    )
    assert r.status_code == 302
    page = client.get(reverse("checklist", kwargs={"pk": rel.pk})).content.decode()
    assert (
        "T-HEALTH" in page and "C-2026-01 bijlage 2" in page and "why this clause applies" in page
    )
    # PDF: the codes and the Dutch characters read back from the file.
    pdf = client.get(reverse("checklist_pdf", kwargs={"pk": rel.pk}))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "T-ALWAYS" in text and "T-HEALTH" in text and "T-CRIT" in text
    assert "Gezondheidsgegevens – ëïé" in text or "Health data" in text
    nl_pdf = client_for(cast.procurement, lang="nl").get(
        reverse("checklist_pdf", kwargs={"pk": rel.pk})
    )
    nl_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(nl_pdf.content)).pages)
    assert "Gezondheidsgegevens – ëïé" in nl_text and "Contractclausules" in nl_text
    # Spreadsheet: one row per clause, formula-looking text neutralised.
    cl.checklist_generate(relationship=rel)
    ws = load_workbook(
        io.BytesIO(client.get(reverse("checklist_xlsx", kwargs={"pk": rel.pk})).content)
    ).active
    codes = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert set(codes) == {"T-ALWAYS", "T-HEALTH", "T-CRIT"}
    # API: list and PATCH.
    api = as_api(cast.procurement)
    url = reverse("relationship-clauses-list", kwargs={"relationship_pk": rel.pk})
    body = api.get(url).json()
    rows = body["results"] if isinstance(body, dict) else body
    health = next(x for x in rows if x["code"] == "T-HEALTH")
    assert health["contract_reference"] == "C-2026-01 bijlage 2" and health["reasons"]
    detail = reverse(
        "relationship-clauses-detail", kwargs={"relationship_pk": rel.pk, "code": "T-CRIT"}
    )
    r = api.patch(
        detail,
        data=json.dumps({"status": "waived", "motivation": "Geen exit nodig"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "waived"
    r = api.patch(detail, data=json.dumps({"status": "waived"}), content_type="application/json")
    assert r.status_code == 400
    assert (
        as_api(cast.viewer)
        .patch(detail, data=json.dumps({"status": "missing"}), content_type="application/json")
        .status_code
        == 403
    )
    assert ChecklistItem.objects.get(relationship=rel, clause__code="T-CRIT").status == "waived"


def test_library_errors_name_their_path_and_store_nothing(db, tmp_path):
    bad = """
- code: X-1
  title: {nl: "", en: "Title"}
  requirement: {nl: "x", en: "x"}
  basis: []
  category: wrong
  priority: maybe
  applies_if: {fact: answer.NOPE-99, op: eq, value: yes}
- code: X-1
  title: {nl: "t", en: "t"}
  requirement: {nl: "x", en: "x"}
  basis: ["AVG:28"]
  category: privacy
  priority: must
  colour: red
"""
    with pytest.raises(ClauseFileError) as exc:
        parse_library(bad)
    errors = exc.value.errors
    assert "[0].title.nl: must be a non-empty text" in errors
    assert "[0].basis: must be a non-empty list of references" in errors
    assert any(e.startswith("[0].category:") for e in errors)
    assert any(e.startswith("[0].priority:") for e in errors)
    assert any(e.startswith("[0].applies_if.fact") for e in errors)
    assert "[1].code: X-1 appears twice" in errors
    assert any(e.startswith("[1].colour: unknown field") for e in errors)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    before = list(Clause.objects.values_list("code", "title_nl"))
    with pytest.raises(ClauseFileError):
        library_load(path)
    assert list(Clause.objects.values_list("code", "title_nl")) == before  # nothing changed
    with pytest.raises(ClauseFileError):
        parse_library("- code: [unclosed")


FIELD = re.compile(r'<select name="(c\d+-status)"')


def _checklist_item(cast, code="T-HEALTH"):
    world = _contract(cast)
    rel = world["relationship"]
    cl.checklist_generate(relationship=rel, actor=cast.procurement.user)
    return world, rel, ChecklistItem.objects.get(relationship=rel, clause__code=code)


def test_checklist_shows_rows_and_edits_one_at_a_time(cast, library):
    world, rel, item = _checklist_item(cast)
    client = client_for(cast.procurement)
    url = reverse("checklist", kwargs={"pk": rel.pk})
    page = client.get(url).content.decode()
    assert not FIELD.search(page)  # no edit form until a row is opened
    assert page.count(">Edit</a>") == ChecklistItem.objects.filter(relationship=rel).count()
    # Without JavaScript: ?edit=<id> opens that one row.
    page = client.get(url, {"edit": item.pk}).content.decode()
    assert FIELD.findall(page) == [f"c{item.pk}-status"]
    # With htmx: the row's edit form as a fragment.
    edit = reverse("checklist_item_edit", kwargs={"pk": rel.pk, "item": item.pk})
    fragment = client.get(edit, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<section") and f'name="c{item.pk}-article"' in fragment
    assert client.get(edit).status_code == 302  # no htmx: back to the page with the row open
    # A viewer cannot open the form.
    viewer_page = client_for(cast.viewer).get(url, {"edit": item.pk}).content.decode()
    assert not FIELD.search(viewer_page)


def test_checklist_row_saves_in_place_and_keeps_input_on_error(cast, library):
    world, rel, item = _checklist_item(cast)
    client = client_for(cast.procurement)
    save = reverse("checklist_item", kwargs={"pk": rel.pk, "item": item.pk})
    # A waiver without a motivation is refused; the typed article stays in the form.
    r = client.post(
        save,
        {
            f"c{item.pk}-status": "waived",
            f"c{item.pk}-article": "art. 7",
            f"c{item.pk}-version": item.version,
        },
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'value="art. 7"' in body and "alert-danger" in body
    item.refresh_from_db()
    assert item.status == "missing" and item.article == ""
    # Saved: the row comes back closed, with the summary out of band.
    r = client.post(
        save,
        {
            f"c{item.pk}-status": "present",
            f"c{item.pk}-contract": world["contract"].pk,
            f"c{item.pk}-article": "art. 7",
            f"c{item.pk}-version": item.version,
        },
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert not FIELD.search(body) and "T-HEALTH saved." in body
    assert 'id="cl-summary" hx-swap-oob="true"' in body
    item.refresh_from_db()
    assert item.status == "present" and item.article == "art. 7"
    # A stale edit (old version) is refused without JavaScript too: 400, input kept.
    r = client.post(
        save,
        {
            f"c{item.pk}-status": "negotiating",
            f"c{item.pk}-article": "art. 9",
            f"c{item.pk}-version": 0,
        },
    )
    assert r.status_code == 400 and 'value="art. 9"' in r.content.decode()
    item.refresh_from_db()
    assert item.status == "present"
