"""The rules engine: semantics per operator, validation paths, and properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core import rules, yamlsafe

FACTS = ["intake.data", "supplier.types", "answer.DAT-02", "relationship.tier"]
KNOWN = set(FACTS)


@pytest.mark.parametrize(
    ("rule", "facts", "expected"),
    [
        ({"fact": "intake.data", "op": "gte", "value": 3}, {"intake.data": 3}, True),
        ({"fact": "intake.data", "op": "gte", "value": 3}, {"intake.data": 2}, False),
        ({"fact": "intake.data", "op": "gt", "value": 2}, {"intake.data": 3}, True),
        ({"fact": "intake.data", "op": "lt", "value": 2}, {"intake.data": 1}, True),
        ({"fact": "intake.data", "op": "lte", "value": 1}, {"intake.data": 2}, False),
        (
            {"fact": "answer.DAT-02", "op": "in", "value": ["no", "partial"]},
            {"answer.DAT-02": "no"},
            True,
        ),
        (
            {"fact": "answer.DAT-02", "op": "not_in", "value": ["no", "partial"]},
            {"answer.DAT-02": "yes"},
            True,
        ),
        ({"fact": "answer.DAT-02", "op": "eq", "value": "yes"}, {"answer.DAT-02": "yes"}, True),
        ({"fact": "answer.DAT-02", "op": "ne", "value": "yes"}, {"answer.DAT-02": "no"}, True),
        (
            {"fact": "supplier.types", "op": "contains", "value": "cloud"},
            {"supplier.types": ["epd", "cloud"]},
            True,
        ),
        (
            {"fact": "supplier.types", "op": "contains", "value": "cloud"},
            {"supplier.types": ["epd"]},
            False,
        ),
        ({"fact": "answer.DAT-02", "op": "answered"}, {"answer.DAT-02": "no"}, True),
        ({"fact": "answer.DAT-02", "op": "answered", "value": False}, {}, True),
        (
            {"fact": "relationship.tier", "op": "in", "value": ["critical", "high"]},
            {"relationship.tier": "high"},
            True,
        ),
    ],
)
def test_operators(rule, facts, expected):
    assert rules.validate(rule, KNOWN) == []
    assert rules.evaluate(rule, facts) is expected


@pytest.mark.parametrize("op", ["eq", "in", "gt", "gte", "lt", "lte", "contains", "answered"])
def test_missing_fact_makes_positive_operators_false(op):
    value = {"in": ["x"], "answered": True}.get(op, 1)
    assert rules.evaluate({"fact": "intake.data", "op": op, "value": value}, {}) is False


@pytest.mark.parametrize("op", ["ne", "not_in"])
def test_missing_fact_makes_negative_operators_true(op):
    value = ["x"] if op == "not_in" else 1
    assert rules.evaluate({"fact": "intake.data", "op": op, "value": value}, {}) is True


def test_comparison_of_text_with_number_is_false_not_an_error():
    assert (
        rules.evaluate({"fact": "intake.data", "op": "gt", "value": 1}, {"intake.data": "veel"})
        is False
    )


def test_empty_all_is_true_and_empty_any_is_false():
    assert rules.evaluate({"all": []}, {}) is True
    assert rules.evaluate({"any": []}, {}) is False


def test_validation_paths_and_all_errors_at_once():
    rule = {
        "all": [
            {"fact": "intake.data", "op": "gte", "value": 3},
            {"any": [{"fact": "intake.colour", "op": "equals", "value": 1}]},
            {"not": {"fact": "answer.DAT-02", "op": "in", "value": "no"}},
        ]
    }
    errors = {e.path: e.message for e in rules.validate(rule, KNOWN, path="show_if")}
    assert "intake.colour" in errors["show_if.all[1].any[0].fact"]
    assert "unknown operator" in errors["show_if.all[1].any[0].op"]
    assert "list" in errors["show_if.all[2].not.value"]


def test_unknown_fact_suggests_close_match():
    errors = rules.validate({"fact": "intake.dta", "op": "eq", "value": 1}, KNOWN)
    assert "did you mean intake.data" in errors[0].message


def test_structure_errors():
    assert rules.validate("yes", KNOWN)[0].path == ""
    assert rules.validate({"all": {"fact": "intake.data"}}, KNOWN)[0].path == "all"
    assert rules.validate({"all": [], "any": []}, KNOWN)
    assert (
        rules.validate({"fact": "intake.data", "op": "gt", "value": "3"}, KNOWN)[0].path == "value"
    )
    assert rules.validate({"fact": "intake.data", "op": "eq"}, KNOWN)[0].path == "value"
    assert (
        rules.validate({"fact": "intake.data", "op": "eq", "value": 1, "extra": 2}, KNOWN)[0].path
        == "extra"
    )


def test_depth_and_size_limits():
    deep: dict = {"fact": "intake.data", "op": "eq", "value": 1}
    for _ in range(rules.MAX_DEPTH + 5):
        deep = {"not": deep}
    assert any("nested too deeply" in e.message for e in rules.validate(deep, KNOWN))
    wide = {
        "any": [
            {"fact": "intake.data", "op": "eq", "value": i} for i in range(rules.MAX_NODES + 10)
        ]
    }
    assert any("too large" in e.message for e in rules.validate(wide, KNOWN))


def test_evaluate_refuses_invalid_rule():
    with pytest.raises(rules.RuleValidationError):
        rules.evaluate({"fact": "intake.data", "op": "roughly", "value": 1}, {})


def test_yaml_yes_no_rule():
    rule = yamlsafe.load("{fact: answer.DAT-02, op: eq, value: yes}")
    assert rule["value"] == "yes"
    assert rules.evaluate(rule, {"answer.DAT-02": "yes"})
    listed = yamlsafe.load("{fact: answer.DAT-02, op: in, value: [yes, partial]}")
    assert rules.evaluate(listed, {"answer.DAT-02": "partial"})
    # A rule built by a YAML 1.1 parser (value: True) still means the word "yes".
    assert rules.evaluate(
        {"fact": "answer.DAT-02", "op": "eq", "value": True}, {"answer.DAT-02": "yes"}
    )
    assert rules.normalise({"any": [{"fact": "f", "op": "in", "value": [True, False]}]}) == {
        "any": [{"fact": "f", "op": "in", "value": ["yes", "no"]}]
    }


def test_describe_explains_in_both_languages():
    rule = {
        "all": [
            {"fact": "intake.data", "op": "gte", "value": 3},
            {"fact": "supplier.types", "op": "contains", "value": "cloud"},
        ]
    }
    assert rules.describe(rule, "en") == "(intake.data ≥ 3 and supplier.types contains cloud)"
    assert rules.describe(rule, "nl") == "(intake.data ≥ 3 en supplier.types bevat cloud)"
    assert rules.facts_used(rule) == {"intake.data", "supplier.types"}


# --- properties ---------------------------------------------------------------------------

values = st.one_of(st.integers(-3, 5), st.sampled_from(["yes", "no", "partial", "cloud", "epd"]))
fact_values = st.one_of(
    st.none(), values, st.lists(st.sampled_from(["cloud", "epd", "yes"]), max_size=3)
)


def _condition():
    def build(fact, op, value, listed):
        if op in ("in", "not_in"):
            return {"fact": fact, "op": op, "value": listed}
        if op in ("gt", "gte", "lt", "lte"):
            return {"fact": fact, "op": op, "value": value if isinstance(value, int) else 1}
        if op == "answered":
            return {"fact": fact, "op": op, "value": isinstance(value, int)}
        return {"fact": fact, "op": op, "value": value}

    return st.builds(
        build,
        st.sampled_from(FACTS),
        st.sampled_from(sorted(rules.OPS)),
        values,
        st.lists(values, min_size=1, max_size=3),
    )


rule_strategy = st.recursive(
    _condition(),
    lambda children: st.one_of(
        st.builds(lambda c: {"all": c}, st.lists(children, max_size=3)),
        st.builds(lambda c: {"any": c}, st.lists(children, max_size=3)),
        st.builds(lambda c: {"not": c}, children),
    ),
    max_leaves=8,
)
facts_strategy = st.fixed_dictionaries({}, optional={f: fact_values for f in FACTS})


@settings(max_examples=300, deadline=None)
@given(rule_strategy, facts_strategy)
def test_generated_rules_validate_and_never_raise(rule, facts):
    assert rules.validate(rule, KNOWN) == []
    assert rules.evaluate(rule, facts) in (True, False)


@settings(max_examples=300, deadline=None)
@given(rule_strategy, facts_strategy)
def test_not_inverts(rule, facts):
    assert rules.evaluate({"not": rule}, facts) is (not rules.evaluate(rule, facts))


@settings(max_examples=200, deadline=None)
@given(st.lists(rule_strategy, max_size=4), facts_strategy)
def test_all_and_any_agree_with_python(children, facts):
    results = [rules.evaluate(c, facts) for c in children]
    assert rules.evaluate({"all": children}, facts) is all(results)
    assert rules.evaluate({"any": children}, facts) is any(results)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12).filter(lambda s: s not in rules.OPS))
def test_validation_rejects_every_unknown_op(op):
    errors = rules.validate({"fact": "intake.data", "op": op, "value": 1}, KNOWN)
    assert any(e.path == "op" for e in errors)


@settings(max_examples=300, deadline=None)
@given(rule_strategy, facts_strategy)
def test_eq_and_ne_are_complements(rule, facts):
    for fact in FACTS:
        for value in ("yes", 1):
            eq = rules.evaluate({"fact": fact, "op": "eq", "value": value}, facts)
            ne = rules.evaluate({"fact": fact, "op": "ne", "value": value}, facts)
            assert eq is not ne


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.integers(), st.text(max_size=5), st.booleans()),
        lambda c: st.one_of(
            st.lists(c, max_size=3), st.dictionaries(st.text(max_size=5), c, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_validate_never_crashes_on_garbage(garbage):
    assert isinstance(rules.validate(garbage, KNOWN), list)


def test_satisfied_names_the_leaves_that_made_a_rule_true():
    from portal.core.rules import satisfied

    rule = {
        "any": [
            {"fact": "intake.data", "op": "gte", "value": 2},
            {
                "all": [
                    {"fact": "answer.LOC-01", "op": "eq", "value": "no"},
                    {"not": {"fact": "x", "op": "answered"}},
                ]
            },
        ]
    }
    facts = {"intake.data": 3, "answer.LOC-01": "no"}
    assert satisfied(rule, facts) == [
        {"fact": "intake.data", "op": "gte", "value": 2},
        {"fact": "answer.LOC-01", "op": "eq", "value": "no"},
        {"not": {"fact": "x", "op": "answered"}},
    ]
    assert satisfied(rule, {"intake.data": 1}) == []
