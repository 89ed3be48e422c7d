"""Every document, export, page, e-mail and API answer that can reach a supplier holds none of
the care organisation's own assessment (DESIGN §12): intake, tier, scores, weights, knock-outs,
internal notes — nor anything of its other customers."""

from __future__ import annotations

import io
import json

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from contracts.checklist import checklist_generate
from contracts.exports import checklist_pdf
from contracts.models import ChecklistItem
from questionnaires import assessments as svc
from questionnaires.models import AnswerMessage
from suppliers.services import relationship_create, supplier_register
from tests.access import assessment_at
from tests.conftest import api_client_for, client_for

NOTE = "GEHEIM-INTERN-7731"  # an internal note of the care organisation
OTHER = "Concurrent Zorggroep"  # another customer of the same supplier
# Words that only the care organisation's own assessment uses (in either language).
INTERNAL_WORDS = (
    "intake",
    "inherent",
    "risicoklasse",
    "restrisico",
    "residual",
    "control score",
    "beheersscore",
    "weight",
    "gewicht",
    "knock",
    NOTE,
    OTHER,
)
INTERNAL_KEYS = {
    "intake",
    "inherent_tier",
    "inherent_score",
    "residual_risk",
    "control_score",
    "control_band",
    "scores",
    "weight",
    "knockout",
    "knockouts",
    "internal",
    "internal_notes",
    "notes",
}


@pytest.fixture
def world(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = assessment_at(cast, "in_review")
        a = w["assessment"]
        AnswerMessage.objects.create(
            answer=a.answers.get(),
            author=cast.ciso.user,
            organisation=cast.hospital,
            body=NOTE,
            internal=True,
        )
        # another customer of the same supplier, with its own relationship
        other = cast.other_care
        other.name = OTHER
        other.save()
        link = supplier_register(
            care_org=other, name="Leverancier B.V.", kvk_number="12345678", actor=None
        )
        relationship_create(
            care_org=other,
            supplier=link.supplier,
            name="Concurrent EPD",
            supplier_types=["epd"],
            intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
            actor=cast.other_care_admin.user,
        )
        svc.assessment_complete(assessment=a, actor=cast.ciso.user)
        checklist_generate(relationship=a.relationship, actor=cast.ciso.user)
    return {**w, "assessment": a}


def _clean_text(label: str, text: str):
    lowered = text.lower()
    found = [w for w in INTERNAL_WORDS if w.lower() in lowered]
    assert found == [], f"{label} shows {found}"


def _clean_json(label: str, data):
    def walk(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                assert key not in INTERNAL_KEYS, f"{label}: key {path}{key}"
                walk(value, f"{path}{key}.")
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    walk(data)
    _clean_text(label, json.dumps(data, ensure_ascii=False))


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_clause_checklist_pdf_for_the_supplier_holds_nothing_internal(cast, world, lang):
    rel = world["relationship"]
    assert ChecklistItem.objects.filter(relationship=rel, triggered=True).exists()
    page = client_for(cast.procurement, lang=lang).get(reverse("checklist_pdf", args=[rel.pk]))
    assert page.status_code == 200
    text = _pdf_text(page.content)
    assert "Ziekenhuis Test" in text and "AVG" in text  # it is the checklist
    _clean_text(f"checklist PDF ({lang})", text)
    # the care organisation's own report of the same checklist keeps its reasons and tier
    items = list(ChecklistItem.objects.filter(relationship=rel).select_related("clause"))
    internal = _pdf_text(checklist_pdf(rel, items, lang))
    assert ("Risicoklasse" if lang == "nl" else "Tier") in internal


def test_the_suppliers_api_answers_hold_nothing_internal(cast, world):
    a = world["assessment"]
    for who in ("supplier_owner", "respondent"):
        api = api_client_for(cast.membership(who))
        for url in (
            "/api/v1/assessments/",
            f"/api/v1/assessments/{a.pk}/",
            f"/api/v1/assessments/{a.pk}/questions/",
            "/api/v1/findings/",
            f"/api/v1/findings/{a.relationship.findings.get().pk}/",
            "/api/v1/notifications/",
            "/api/v1/me/",
        ):
            response = api.get(url)
            assert response.status_code == 200, (who, url)
            _clean_json(
                f"{who} {url}",
                {
                    k: v
                    for k, v in response.json().items()
                    if not (k in ("knockout", "knockout_fired") and v is None)
                }
                if isinstance(response.json(), dict)
                else response.json(),
            )


def test_the_suppliers_pages_sheet_and_mails_hold_nothing_internal(cast, world):
    a = world["assessment"]
    client = client_for(cast.supplier_owner, lang="nl")
    for url in (
        reverse("assessment_detail", args=[a.pk]),
        reverse("assessment_list"),
        reverse("finding_list"),
        reverse("finding_detail", args=[a.relationship.findings.get().pk]),
        reverse("notification_list"),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        main = response.content.decode()
        main = main[main.find("<main") :]
        _clean_text(url, main)
    sheet = client.get(reverse("assessment_xlsx_download", args=[a.pk]))
    cells = " ".join(
        str(c)
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        for c in row
        if c is not None
    )
    _clean_text("offline sheet", cells)
    to_supplier = [m for m in mail.outbox if m.to[0].endswith("@lev.test")]
    assert to_supplier, "the supplier was told of the completed review"
    for message in to_supplier:
        _clean_text(f"e-mail {message.subject}", message.subject + message.body)
