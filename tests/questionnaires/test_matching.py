"""Question matching (issue 20 §4): the labelled set's accuracy, the API and the command, the
match page that confirms equivalents, and the library prefilling a matched question."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from portal.core.audit.models import AuditEvent
from questionnaires.library import library_prefill
from questionnaires.matching import Matcher
from questionnaires.models import Answer, LibraryAnswer
from questionnaires.services import template_import
from questionnaires.yaml_io import parse_questionnaire
from tests.access import assessment_at
from tests.conftest import client_for

HERE = Path(__file__).parent
BANK = HERE.parents[1] / "questionnaires" / "banks" / "zorg-leveranciers.yaml"
LABELLED = yaml.safe_load((HERE / "data" / "matching_labelled.yaml").read_text(encoding="utf-8"))


def _bank_matcher() -> Matcher:
    bank = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    return Matcher(
        [
            (q["code"], q["text"]["nl"], q["text"]["en"])
            for s in bank["sections"]
            for q in s["questions"]
        ]
    )


def test_the_labelled_set_is_matched_as_targeted():
    """Targets: top-1 ≥ 85 %, top-3 ≥ 95 %, no proposal for a question the bank does not ask.
    (The figures, measured, are in BENCHMARKS.md.)"""
    matcher = _bank_matcher()
    inside = [item for item in LABELLED if item["code"]]
    outside = [item for item in LABELLED if not item["code"]]
    assert len(inside) >= 60 and len(outside) >= 10
    assert {item["source"] for item in inside} >= {"hospital", "caiq", "sig", "hecvat", "carehome"}
    results = [(item, matcher.match(item["text"])) for item in LABELLED]
    top1 = sum(r.best == item["code"] for item, r in results if item["code"])
    top3 = sum(item["code"] in [c.code for c in r.matches] for item, r in results if item["code"])
    wrong = [item["text"] for item, r in results if not item["code"] and r.best]
    assert top1 / len(inside) >= 0.85, top1
    assert top3 / len(inside) >= 0.95, top3
    assert wrong == []


def test_scores_and_candidates_are_well_formed():
    r = _bank_matcher().match("Is MFA verplicht voor beheerders?")
    assert len(r.matches) == 3 and all(0 <= c.score <= 1 for c in r.matches)
    assert [c.score for c in r.matches] == sorted((c.score for c in r.matches), reverse=True)
    assert r.best == r.matches[0].code
    assert _bank_matcher().match("").best is None


@pytest.fixture
def bank(db):
    return template_import(data=parse_questionnaire(BANK.read_bytes()), publish=True)


def test_the_api_proposes_matches_and_null_when_nothing_is_close(cast, bank, as_api):
    api = as_api(cast.ciso)
    texts = [
        "Gebruiken uw medewerkers tweefactorauthenticatie?",
        "Hoeveel parkeerplaatsen heeft u?",
    ]
    r = api.post(
        f"/api/v1/templates/{bank.pk}/match/",
        data=json.dumps({"questions": texts}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert results[0]["best"] == "IAM-01" and results[1]["best"] is None
    assert all(len(x["matches"]) == 3 for x in results)
    bad = api.post(
        f"/api/v1/templates/{bank.pk}/match/",
        data=json.dumps({"questions": []}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    viewer = as_api(cast.viewer).post(
        f"/api/v1/templates/{bank.pk}/match/",
        data=json.dumps({"questions": texts}),
        content_type="application/json",
    )
    assert viewer.status_code == 403


def _q(code, nl, en, kind="text"):
    return {"code": code, "text": {"nl": nl, "en": en}, "type": kind}


def test_the_command_matches_a_yaml_file(bank, tmp_path):
    own = {
        "key": "eigen-lijst",
        "version": 1,
        "title": {"nl": "Eigen lijst", "en": "Own list"},
        "sections": [
            {
                "code": "A",
                "title": {"nl": "Algemeen", "en": "General"},
                "questions": [
                    _q("Q1", "Maakt u dagelijks een back-up?", "Daily backup?", "yes_no"),
                    _q("Q2", "Wat zijn de openingstijden van de kantine?", "Canteen hours?"),
                ],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "eigen.yaml"
    path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("match_questions", str(path), "--template", bank.key, "--format", "json",
                     stdout=out)  # fmt: skip
    except SystemExit as exc:  # the one-language sheet is refused by strict validation
        pytest.fail(f"command failed: {exc}")
    results = {r["code"]: r for r in json.loads(out.getvalue())["results"]}
    assert results["Q1"]["best"] == "BCK-01" and results["Q2"]["best"] is None


def test_the_match_page_confirms_equivalents_and_refuses_a_wrong_code(cast, bank, own_template):
    page = client_for(cast.ciso, lang="nl")
    url = reverse("questionnaire_match", kwargs={"pk": own_template.pk})
    html = page.get(url).content.decode()
    assert "Overeenkomst met de vragenbank" in html or "vragenbank" in html
    code = own_template.questions.order_by("order").first().code
    page.post(url, {f"eq-{code}": "IAM-01"})
    q = own_template.questions.get(code=code)
    assert q.equivalent_code == "IAM-01"
    assert AuditEvent.objects.filter(action="questionnaire.equivalents_set").count() == 1
    page.post(url, {f"eq-{code}": "BESTAAT-NIET"})
    q.refresh_from_db()
    assert q.equivalent_code == "IAM-01"  # nothing stored


def test_a_matched_question_is_prefilled_from_the_bank_answer(cast, bank):
    world = assessment_at(cast, "sent")
    a = world["assessment"]
    q = a.template.questions.get(code="A-01")
    q.equivalent_code = "IAM-01"
    q.save(update_fields=["equivalent_code"])
    Answer.objects.filter(assessment=a).delete()
    LibraryAnswer.objects.create(supplier=cast.supplier, code="IAM-01", value="yes")
    assert library_prefill(assessment=a, questions=[q]) == 1
    answer = Answer.objects.get(assessment=a, question=q)
    assert answer.value == "yes" and answer.prefilled  # for the supplier to confirm
    # An answer the matched question does not offer is not prefilled.
    Answer.objects.filter(assessment=a).delete()
    LibraryAnswer.objects.filter(code="IAM-01").update(value="maandelijks")
    assert library_prefill(assessment=a, questions=[q]) == 0


def test_the_api_confirms_equivalents_for_an_own_questionnaire_only(
    cast, bank, own_template, as_api
):
    api = as_api(cast.ciso)
    code = own_template.questions.order_by("order").first().code
    url = f"/api/v1/templates/{own_template.pk}/equivalents/"
    body = {"equivalents": [{"code": code, "bank_code": "BCK-01"}]}
    r = api.post(url, data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json() == {"changed": 1}
    assert own_template.questions.get(code=code).equivalent_code == "BCK-01"
    wrong = {"equivalents": [{"code": code, "bank_code": "XX-99"}]}
    assert api.post(url, data=json.dumps(wrong), content_type="application/json").status_code == 400
    # The shipped bank is nobody's own questionnaire: 404.
    bank_url = f"/api/v1/templates/{bank.pk}/equivalents/"
    assert (
        api.post(bank_url, data=json.dumps(body), content_type="application/json").status_code
        == 404
    )


def test_the_import_preview_shows_bank_proposals_and_leads_to_the_match_page(cast, bank):
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    from tests.questionnaires.test_pages import CAIQ  # noqa: PLC0415 - the test sheet

    client = client_for(cast.ciso)
    step2 = client.post(
        reverse("questionnaire_xlsx"), {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)}
    )["Location"]
    form = {
        "sheet": "CAIQv4", "header_row": 1, "language": "en", "key": "caiq", "version": 1,
        "title_nl": "CAIQ", "title_en": "CAIQ", "col_text": "Question", "action": "continue",
    }  # fmt: skip
    assert client.post(step2, form).status_code == 302
    confirm = reverse("questionnaire_xlsx_confirm", kwargs={"token": step2.split("/")[-2]})
    preview = client.get(confirm)
    assert preview.context["show_bank"] is True
    assert "Bank question that asks the same" in preview.content.decode()
    done = client.post(confirm)
    assert done.status_code == 302 and done["Location"].endswith("/match/")


def test_the_supplier_sees_which_bank_question_a_prefilled_answer_came_from(cast, bank):
    world = assessment_at(cast, "sent")
    a = world["assessment"]
    q = a.template.questions.get(code="A-01")
    q.equivalent_code = "IAM-01"
    q.save(update_fields=["equivalent_code"])
    Answer.objects.filter(assessment=a).delete()
    LibraryAnswer.objects.create(supplier=cast.supplier, code="IAM-01", value="yes")
    library_prefill(assessment=a, questions=[q])
    page = client_for(cast.supplier_owner).get(reverse("assessment_detail", kwargs={"pk": a.pk}))
    html = page.content.decode()
    bank_text = bank.questions.get(code="IAM-01").text_en
    assert "<code>IAM-01</code>" in html and bank_text[:40] in html
    # The care organisation sees nothing of an unconfirmed prefilled answer.
    care = client_for(cast.ciso).get(reverse("assessment_detail", kwargs={"pk": a.pk}))
    assert "IAM-01" not in care.content.decode()
