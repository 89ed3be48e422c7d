"""The questionnaire file format: validation with paths, yes/no words, lossless round trip."""

from __future__ import annotations

import pytest
import yaml

from questionnaires.models import Question, QuestionnaireTemplate
from questionnaires.services import template_import, template_to_dict
from questionnaires.yaml_io import (
    QuestionnaireFileError,
    parse_questionnaire,
    questionnaire_to_yaml,
)
from tests.questionnaires.conftest import BANKS


def _errors(text: str) -> dict[str, str]:
    with pytest.raises(QuestionnaireFileError) as info:
        parse_questionnaire(text)
    return {e.path: e.message for e in info.value.errors}


def _roundtrip(db_text: str, new_key: str) -> None:
    first = template_import(data=parse_questionnaire(db_text))
    exported = questionnaire_to_yaml(template_to_dict(first))
    reparsed = parse_questionnaire(exported)
    assert reparsed == template_to_dict(first)
    # Importing the export yields the same template (under a new key so both can exist).
    reparsed["key"] = new_key
    second = template_import(data=reparsed)
    a, b = template_to_dict(first), template_to_dict(second)
    a.pop("key"), b.pop("key")
    assert a == b


def test_every_feature_file_round_trips(db, every_feature_text):
    _roundtrip(every_feature_text, "every-feature-copy")


@pytest.mark.parametrize("bank", ["zorg-leveranciers.yaml", "zorg-leveranciers-licht.yaml"])
def test_shipped_banks_round_trip(db, bank):
    _roundtrip((BANKS / bank).read_text(encoding="utf-8"), "copy-of-bank")


def test_unquoted_yes_no_are_strings(db, every_feature_text):
    data = parse_questionnaire(every_feature_text)
    gov02 = data["sections"][0]["questions"][1]
    assert gov02["show_if"] == {"fact": "answer.GOV-01", "op": "eq", "value": "yes"}
    acc02 = data["sections"][1]["questions"][1]
    assert acc02["show_if"]["all"][0]["value"] == ["yes", "partial"]
    assert data["sections"][0]["questions"][0]["required"] is True
    assert data["sections"][0]["questions"][0]["knockout"] is False


def test_quoted_and_unquoted_yes_mean_the_same(db, every_feature_text):
    quoted = every_feature_text.replace("op: eq, value: yes}", 'op: eq, value: "yes"}')
    assert quoted != every_feature_text
    assert parse_questionnaire(quoted) == parse_questionnaire(every_feature_text)


def test_all_errors_reported_at_once_with_paths(every_feature_text):
    broken = (
        every_feature_text.replace("type: yes_no", "type: maybe", 1)
        .replace("weight: 3", "weight: 7", 1)
        .replace("op: eq, value: yes}", "op: equals, value: yes}", 1)
        .replace('references: ["NEN7510-2:8.2"]', 'references: ["ISO:1"]', 1)
        .replace("severity: low", "severity: meh", 1)
    )
    errors = _errors(broken)
    assert "is not one of" in errors["sections[0].questions[0].type"]
    assert "0 to 3" in errors["sections[0].questions[0].weight"]
    assert "sections[0].questions[1].show_if.op" in errors
    assert "ISO:1" in errors["sections[1].questions[2].references[0]"]
    assert "sections[2].questions[1].severity" in errors


def test_show_if_must_name_a_question_in_the_file(every_feature_text):
    broken = every_feature_text.replace("fact: answer.GOV-01", "fact: answer.NOPE-01", 1)
    errors = _errors(broken)
    assert "answer.NOPE-01" in errors["sections[0].questions[1].show_if.fact"]


def test_unknown_fact_and_nested_path(every_feature_text):
    broken = every_feature_text.replace("fact: supplier.types", "fact: supplier.colour", 1)
    errors = _errors(broken)
    assert "sections[1].questions[1].show_if.all[1].fact" in errors


@pytest.mark.parametrize(
    ("mutation", "path", "fragment"),
    [
        (("key: every-feature", "key: Every Feature"), "key", "slug"),
        (("version: 1", "version: zero"), "version", "whole number"),
        (("code: GOV-02", "code: GOV-01"), "sections[0].questions[1].code", "duplicate"),
        (("code: ACC\n", "code: GOV\n"), "sections[1].code", "duplicate"),
        (("score: 0.5}", "score: 2}"), "sections[1].questions[1].choices[1].score", "0 to 1"),
        (
            ("required: yes", "required: perhaps"),
            "sections[0].questions[0].required",
            "true or false",
        ),
        (
            ("applies_to: [cloud, it_services]", "applies_to: [cloud, bakery]"),
            "sections[1].questions[0].applies_to[1]",
            "supplier type",
        ),
        (
            ("evidence: required", "evidence: always"),
            "sections[0].questions[0].evidence",
            "not one of",
        ),
        (
            ("type: number", "type: text"),
            "sections[2].questions[1].bands",
            "only for number and date",
        ),
        (('nl: "Welke scope?"', 'nl: ""'), "sections[0].questions[1].text.nl", "empty"),
        (
            (
                "        reviewer_scored: true\n        show_if",
                "        reviewer_scored: true\n        colour: red\n        show_if",
            ),
            "sections[0].questions[1].colour",
            "unknown field",
        ),
    ],
)
def test_validation_messages(every_feature_text, mutation, path, fragment):
    old, new = mutation
    assert old in every_feature_text
    errors = _errors(every_feature_text.replace(old, new, 1))
    assert path in errors, errors
    assert fragment in errors[path]


def test_choice_question_without_choices(every_feature_text):
    text = every_feature_text.replace("type: multiple_choice", "type: single_choice").replace(
        "        choices:\n          - {value: review",
        "        xchoices:\n          - {value: review",
    )
    errors = _errors(text)
    assert "sections[1].questions[2].choices" in errors


def test_malformed_yaml_gives_line_number():
    errors = _errors("key: x\nsections: [\n  - bad: [\n")
    assert any("line" in m for m in errors.values())


def test_not_a_mapping():
    assert "" in _errors("- just\n- a list\n")


def test_yaml_anchors_are_refused(every_feature_text):
    text = every_feature_text.replace(
        "title: {nl: Bestuur, en: Governance}", "title: &t {nl: Bestuur, en: Governance}"
    )
    text = text.replace("title: {nl: Toegang, en: Access}", "title: *t")
    assert _errors(text)


def test_import_is_all_or_nothing(db, every_feature_text):
    broken = every_feature_text.replace("weight: 2", "weight: 9")
    with pytest.raises(QuestionnaireFileError):
        template_import(data=parse_questionnaire(broken))
    assert not QuestionnaireTemplate.objects.exists()
    assert not Question.objects.exists()


def test_same_key_and_version_cannot_be_imported_twice(db, every_feature_text):
    template_import(data=parse_questionnaire(every_feature_text))
    with pytest.raises(QuestionnaireFileError, match="already exists"):
        template_import(data=parse_questionnaire(every_feature_text))
    assert QuestionnaireTemplate.objects.count() == 1


def test_export_is_readable_by_a_plain_yaml_11_parser(db, every_feature_text):
    template = template_import(data=parse_questionnaire(every_feature_text))
    plain = yaml.safe_load(questionnaire_to_yaml(template_to_dict(template)))
    show_if = plain["sections"][0]["questions"][1]["show_if"]
    assert show_if["value"] == "yes"  # quoted on export, so not a boolean
