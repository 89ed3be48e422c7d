"""The shipped healthcare question banks: coverage, completeness, and the light bank's reuse."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from questionnaires.models import QuestionnaireTemplate, TemplateStatus
from questionnaires.yaml_io import parse_questionnaire
from tests.questionnaires.conftest import BANKS


@pytest.fixture(scope="module")
def full():
    return parse_questionnaire((BANKS / "zorg-leveranciers.yaml").read_bytes())


@pytest.fixture(scope="module")
def light():
    return parse_questionnaire((BANKS / "zorg-leveranciers-licht.yaml").read_bytes())


def _questions(bank):
    return [q for s in bank["sections"] for q in s["questions"]]


def test_full_bank_size_and_completeness(full):
    questions = _questions(full)
    assert len(full["sections"]) >= 12
    assert len(questions) >= 120
    for q in questions:
        assert q["references"], q["code"]
        assert q["applies_to"], q["code"]
        assert q["advice"]["nl"] and q["advice"]["en"], q["code"]
        assert q["text"]["nl"] and q["text"]["en"], q["code"]
    assert {q["type"] for q in questions} == {
        "yes_no",
        "yes_partial_no",
        "single_choice",
        "multiple_choice",
        "number",
        "date",
        "text",
        "file",
    }


def test_knockouts_are_few(full):
    knockouts = [q["code"] for q in _questions(full) if q["knockout"]]
    assert 1 <= len(knockouts) <= 8
    assert "IAM-01" in knockouts  # MFA on remote administrative access
    assert "INC-01" in knockouts  # incident notification to the customer


@pytest.mark.parametrize("supplier_type", ["epd", "cloud", "it_services", "medical_device"])
def test_each_supplier_type_gets_a_fitting_set(full, supplier_type):
    seen = [q for q in _questions(full) if supplier_type in q["applies_to"]]
    assert len(seen) >= 60


def test_supplier_types_see_different_questions(full):
    by_type = {
        t: {q["code"] for q in _questions(full) if t in q["applies_to"]}
        for t in ("epd", "medical_device")
    }
    assert "LOG-01" in by_type["epd"] and "LOG-01" not in by_type["medical_device"]
    assert "DEV-05" in by_type["medical_device"] and "DEV-05" not in by_type["epd"]


def test_light_bank_reuses_full_definitions(full, light):
    full_by_code = {q["code"]: q for q in _questions(full)}
    light_questions = _questions(light)
    assert len(light_questions) <= 30
    for q in light_questions:
        assert q == full_by_code[q["code"]], q["code"]


def test_load_command_is_idempotent_and_publishes(db):
    call_command("load_question_banks")
    call_command("load_question_banks")
    templates = QuestionnaireTemplate.objects.filter(key__startswith="zorg-leveranciers")
    assert templates.count() == 2
    assert set(templates.values_list("status", flat=True)) == {TemplateStatus.PUBLISHED}
