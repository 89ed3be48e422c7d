"""Fuzzing (hypothesis, the "ketenwacht" profile from tests/conftest.py): whatever text or
structure reaches the rules engine, the YAML importer or the spreadsheet importer, the only
exception that comes out is the project's own validation error — never a crash, never a 500.

tests/portal/test_rules.py already proves generated *valid* rules; here the input is hostile.
"""

from __future__ import annotations

import io
import string
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from portal.core import rules, yamlsafe
from questionnaires import yaml_io
from questionnaires.xlsx_import import Mapping, import_spreadsheet, inspect_workbook
from questionnaires.yaml_io import QuestionnaireFileError, parse_questionnaire
from tests.conftest import client_for
from tests.security.hostile import xlsx

EVERY_FEATURE = (
    Path(__file__).resolve().parents[1] / "questionnaires" / "files" / "every_feature.yaml"
).read_text(encoding="utf-8")
KNOWN = set(rules.BASE_FACTS) | {"answer.A-01", "answer.B-02"}

# Scalars as YAML, JSON and spreadsheets deliver them, including the awkward ones.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "", "eq", "answered", "intake.data", "\x00", "1e999"]),
)
RULE_KEYS = ["all", "any", "not", "fact", "op", "value"]
rule_garbage = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(RULE_KEYS), st.text(max_size=6)), children, max_size=4
        ),
        st.fixed_dictionaries(
            {"fact": st.one_of(st.sampled_from(sorted(KNOWN)), children)},
            optional={
                "op": st.one_of(st.sampled_from(sorted(rules.OPS)), children),
                "value": children,
            },
        ),
    ),
    max_leaves=25,
)
facts = st.dictionaries(st.sampled_from(sorted(KNOWN)), rule_garbage, max_size=6)


@given(rule_garbage, facts)
@example({"fact": "intake.data", "op": [], "value": 1}, {})
@example({"fact": "intake.data", "op": "eq", "value": 10**400}, {"intake.data": 1})
@example({"fact": "intake.data", "op": "gte", "value": 1.5}, {"intake.data": 10**400})
def test_rules_engine_refuses_garbage_only_with_its_own_error(rule, fact_values):
    errors = rules.validate(rule, KNOWN)
    assert all(isinstance(e, rules.RuleError) for e in errors)
    try:
        result = rules.evaluate(rule, fact_values)
    except rules.RuleValidationError as exc:
        assert exc.errors
        return
    assert result in (True, False)
    assert isinstance(rules.describe(rule, "nl"), str)
    assert isinstance(rules.describe(rule, "en"), str)
    assert isinstance(rules.facts_used(rule), set)
    assert rules.evaluate(rules.normalise(rule), fact_values) in (True, False)
    assert isinstance(rules.satisfied(rule, fact_values), list)


def test_deeply_nested_rules_are_refused_not_recursed():
    rule: dict = {"fact": "intake.data", "op": "eq", "value": 1}
    for _ in range(5000):
        rule = {"not": rule}
    with pytest.raises(rules.RuleValidationError, match="nested too deeply"):
        rules.evaluate(rule, {})


def _question_like(children):
    keys = sorted(yaml_io.QUESTION_KEYS)
    plausible = {
        "code": st.one_of(st.sampled_from(["A-01", "B-02", "a", ""]), children),
        "text": st.one_of(
            st.fixed_dictionaries({"nl": st.text(max_size=20), "en": st.text(max_size=20)}),
            children,
        ),
        "type": st.one_of(st.sampled_from(yaml_io.ANSWER_TYPES), children),
        "choices": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "value": children,
                        "label": children,
                        "score": children,
                    },
                ),
                max_size=3,
            ),
            children,
        ),
        "bands": st.one_of(st.lists(st.dictionaries(st.text(max_size=4), children)), children),
        "show_if": rule_garbage,
    }
    return st.fixed_dictionaries(
        {},
        optional={k: plausible.get(k, children) for k in keys},
    )


questionnaire_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.text(max_size=6), children, max_size=3),
        st.fixed_dictionaries(
            {
                "key": st.one_of(st.just("fuzz"), children),
                "version": st.one_of(st.just(1), children),
                "title": st.one_of(st.just({"nl": "T", "en": "T"}), children),
                "sections": st.one_of(
                    st.lists(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "code": st.one_of(st.sampled_from(["A", "B", "A"]), children),
                                "title": children,
                                "questions": st.one_of(
                                    st.lists(_question_like(children), max_size=3), children
                                ),
                            },
                        ),
                        max_size=3,
                    ),
                    children,
                ),
            }
        ),
    ),
    max_leaves=30,
)


@given(questionnaire_like)
@example(
    {"key": "k", "version": 1, "title": {"nl": "T", "en": "T"}, "sections": [{"questions": 5}]}
)
@example({"key": "k", "version": 1, "sections": [{"code": ["A"], "questions": []}]})
@example({"key": "k", "version": 1, "sections": [{"questions": [{"code": ["A"]}]}]})
@example({"sections": [{"questions": [{"type": "number", "bands": [{"lt": 10**400}]}]}]})
def test_questionnaire_validation_refuses_garbage_only_with_its_own_error(data):
    try:
        clean = yaml_io.validate_questionnaire(data)
    except QuestionnaireFileError as exc:
        assert exc.errors and all(isinstance(e.path, str) for e in exc.errors)
        return
    # What is accepted survives the export and comes back the same.
    assert parse_questionnaire(yaml_io.questionnaire_to_yaml(clean)) == clean


@given(questionnaire_like)
def test_yaml_importer_refuses_garbage_documents(data):
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        assume(False)
    try:
        parse_questionnaire(text)
    except QuestionnaireFileError as exc:
        assert exc.errors


@given(st.text(max_size=400))
@example("{[a]: 1}")
@example("? [a, b]\n: c\n")
@example("a: &x 1\nb: *x\n")
@example("version: " + "9" * 5000)
@example("[" * 3000)
@example('title: {nl: "\\0", en: x}')
def test_yaml_importer_refuses_arbitrary_text(text):
    try:
        parse_questionnaire(text)
    except QuestionnaireFileError as exc:
        assert exc.errors


@given(
    st.lists(
        st.tuples(st.integers(0, len(EVERY_FEATURE)), st.integers(0, 8), st.text(max_size=6)),
        min_size=1,
        max_size=5,
    )
)
def test_yaml_importer_survives_mutations_of_a_real_file(edits):
    text = EVERY_FEATURE
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    try:
        parse_questionnaire(text)
    except QuestionnaireFileError as exc:
        assert exc.errors


def test_yaml_control_characters_in_texts_are_refused():
    text = EVERY_FEATURE.replace('"Alles erin"', '"Alles\\0erin"')
    with pytest.raises(QuestionnaireFileError, match="control characters"):
        parse_questionnaire(text)


# -- spreadsheets ---------------------------------------------------------------------------

printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    max_size=25,
)
cell_values = st.one_of(
    st.none(),
    printable,
    st.sampled_from(
        [
            "yes / no",
            "Ja; Nee; N.v.t.",
            "a=1.2.3; b=0",
            "a=.; b=1",
            "inf",
            "1e400",
            "nan",
            "single_choice",
            "multiple_choice",
            "bestand",
            "=SUM(A1)",
            "NEN7510-2:8.5",
            "x" * 3000,
        ]
    ),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    # Spreadsheet cells hold naive date-times.
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001
)
TARGETS = ("section", "code", "text", "text_en", "type", "answers", "weight", "references", "help")
sheet_names = st.text(alphabet=string.ascii_letters + string.digits + " -", min_size=1, max_size=12)


def _workbook(title: str, grid: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title.strip() or "Q"
    for row in grid:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


mappings = st.fixed_dictionaries(
    {
        "sheet": st.one_of(st.just("Q"), sheet_names),
        "columns": st.dictionaries(
            st.sampled_from(TARGETS),
            st.one_of(
                st.sampled_from(["A", "B", "C", "D", "E", "ZZ", "vraag", "", "XFD"]), printable
            ),
        ).map(lambda c: {"text": "B", **c}),
    },
    optional={
        "header_row": st.one_of(st.integers(-3, 8), st.just(10**6)),
        "section_from_code_prefix": st.booleans(),
        "default_type": st.one_of(st.sampled_from(yaml_io.ANSWER_TYPES), printable),
        "default_weight": st.integers(-2, 5),
        "key": st.one_of(st.just("fuzz"), printable),
        "version": st.integers(-1, 3),
    },
)


@settings(max_examples=60)
@given(
    st.lists(st.lists(cell_values, min_size=0, max_size=9), min_size=0, max_size=8),
    mappings,
)
@example(
    [["A", "Vraag", "A-1", "single_choice", "a=1.2.3; b=0", "inf"]],
    {"sheet": "Q", "columns": {"text": "B", "answers": "E", "type": "D", "weight": "F"}},
)
@example([["A", "Vraag", "A-1", "", "", "1e400"]], {"sheet": "Q", "columns": {"weight": "F"}})
def test_spreadsheet_importer_refuses_garbage_only_with_its_own_error(grid, raw_mapping):
    data = _workbook("Q", [["section", "vraag", "code", "type", "answers", "weight"], *grid])
    try:
        questionnaire, preview = import_spreadsheet(data, Mapping.from_dict(raw_mapping))
    except QuestionnaireFileError as exc:
        assert exc.errors
        return
    assert questionnaire["sections"] and isinstance(preview, list)


@given(st.one_of(st.binary(max_size=2000), st.dictionaries(st.text(max_size=5), scalars)))
def test_spreadsheet_mapping_and_bytes_garbage_is_refused(garbage):
    with pytest.raises(QuestionnaireFileError):
        if isinstance(garbage, bytes):
            inspect_workbook(garbage)
        else:
            Mapping.from_dict(garbage)


VALID_XLSX = xlsx()


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_spreadsheet_importer_survives_corrupted_files(flips):
    data = bytearray(VALID_XLSX)
    for at, byte in flips:
        data[at] = byte
    mapping = Mapping.from_dict({"sheet": "Q", "columns": {"text": "text", "code": "code"}})
    try:
        import_spreadsheet(bytes(data), mapping)
    except QuestionnaireFileError as exc:
        assert exc.errors


# -- through the pages: never a 500 ----------------------------------------------------------

PAGE_SETTINGS = settings(
    max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PAGE_SETTINGS
@given(st.one_of(st.text(max_size=300), st.sampled_from(["{[a]: 1}", "sections: 5", "- 1"])))
def test_yaml_upload_page_never_fails(cast, text):
    r = client_for(cast.ciso).post(
        reverse("questionnaire_upload"),
        {"file": SimpleUploadedFile("vragen.yaml", text.encode("utf-8"))},
    )
    assert r.status_code in (200, 302)


@PAGE_SETTINGS
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "sheet": st.one_of(st.just("Q"), printable),
            "header_row": st.one_of(printable, st.sampled_from(["0", "-1", "abc", "99999999"])),
            "key": printable,
            "version": printable,
            "title_nl": printable,
            "title_en": printable,
            "col_text": st.one_of(st.just("vraag"), printable),
            "col_code": printable,
            "language": st.one_of(st.sampled_from(["nl", "en"]), printable),
            "action": st.sampled_from(["preview", "continue"]),
        },
    ),
    st.sampled_from(
        ["", "?mapping=abc", "?mapping=1", "?sheet=nope", "?header_row=0", "?header_row=99"]
    ),
)
def test_spreadsheet_mapping_page_never_fails(cast, form, query):
    client = client_for(cast.ciso)
    data = _workbook("Q", [["code", "vraag"], ["A-1", "Heeft u MFA?"]])
    r = client.post(reverse("questionnaire_xlsx"), {"file": SimpleUploadedFile("q.xlsx", data)})
    assert r.status_code == 302
    step2 = r["Location"]
    assert client.get(step2 + query).status_code == 200
    r = client.post(step2 + query, form)
    assert r.status_code in (200, 302)
    if r.status_code == 302:
        assert client.get(r["Location"]).status_code in (200, 302)


def test_yamlsafe_refuses_unhashable_keys_with_its_own_error():
    with pytest.raises(yamlsafe.YamlError, match="plain value"):
        yamlsafe.load("? [a, b]\n: c\n")
