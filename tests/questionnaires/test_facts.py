"""One set of facts for every rule (DESIGN §8): a fact that a validator accepts in a rule is
present when that rule is evaluated, for questions' show_if and for clause triggers."""

from __future__ import annotations

import copy

import pytest

from contracts.checklist import facts_for
from contracts.library import known_facts
from portal.core import rules
from questionnaires import assessments as svc
from questionnaires.services import template_import
from questionnaires.yaml_io import QuestionnaireFileError, show_if_facts, validate_question
from tests.access import MINI_TEMPLATE, _relationship


def _question(code: str, show_if=None) -> dict:
    q = copy.deepcopy(MINI_TEMPLATE["sections"][0]["questions"][0])
    q.update(code=code, show_if=show_if, type="yes_partial_no")
    return q


def _template(key: str, *questions: dict):
    data = copy.deepcopy(MINI_TEMPLATE)
    data["key"] = key
    data["sections"][0]["questions"] = list(questions)
    return template_import(data=data, publish=True)


def _sent(cast, rel, template):
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    return svc.assessment_send(assessment=a, actor=cast.procurement.user)


def _accepted_by_show_if_validator(codes: set[str]) -> set[str]:
    """The facts the question validator (file import and builder alike) accepts in a show_if."""
    facts = show_if_facts(codes)
    for fact in facts:  # the set is the validator's own: each is accepted, a stranger is not
        validate_question(
            _question("Z-99", {"fact": fact, "op": "answered", "value": True}),
            other_codes=set(),
            all_codes=codes,
        )
    with pytest.raises(QuestionnaireFileError):
        validate_question(
            _question("Z-99", {"fact": "relationship.colour", "op": "answered", "value": True}),
            other_codes=set(),
            all_codes=codes,
        )
    return facts


def test_every_fact_a_show_if_may_name_is_present_when_it_is_evaluated(cast):
    rel = _relationship(cast)["relationship"]
    template = _template("facts", _question("A-01"), _question("A-02"))
    a = _sent(cast, rel, template)
    for code in ("A-01", "A-02"):
        svc.answer_save(assessment=a, code=code, value="yes", actor=cast.supplier_owner.user)
    codes = set(template.questions.values_list("code", flat=True))

    facts = svc.assessment_facts(a, svc.answers_by_code(a))

    assert _accepted_by_show_if_validator(codes) - set(facts) == set()
    assert facts["relationship.residual_risk"] == rel.residual_risk == "critical"
    assert facts["relationship.control_band"] is None  # not assessed yet
    assert facts["answer.A-02"] == "yes"


def test_every_fact_a_clause_trigger_may_name_is_present_when_it_is_evaluated(cast):
    rel = _relationship(cast)["relationship"]
    a = _sent(cast, rel, _template("clause-facts", _question("A-01")))
    svc.answer_save(assessment=a, code="A-01", value="no", actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)

    facts, _texts, _shown = facts_for(rel)

    base = {f for f in known_facts() if not f.startswith("answer.")}
    assert base - set(facts) == set()
    assert base == set(rules.BASE_FACTS)
    assert facts["answer.A-01"] == "no"


def test_show_if_on_residual_risk_and_control_band_follows_the_relationship(cast):
    """Regression: these two facts passed validation but were never given to show_if."""
    rel = _relationship(cast)["relationship"]  # critical, not assessed
    template = _template(
        "risk-facts",
        _question("A-01"),
        _question("A-02", {"fact": "relationship.residual_risk", "op": "eq", "value": "medium"}),
        _question("A-03", {"fact": "relationship.control_band", "op": "eq", "value": "strong"}),
        _question("A-04", {"fact": "relationship.residual_risk", "op": "eq", "value": "critical"}),
    )

    def shown(assessment):
        return {q.code for q, visible in svc.visible_questions(assessment) if visible}

    first = _sent(cast, rel, template)
    assert shown(first) == {"A-01", "A-04"}  # not assessed: the residual risk is the tier
    svc.answer_save(assessment=first, code="A-01", value="yes", actor=cast.supplier_owner.user)
    svc.answer_save(assessment=first, code="A-04", value="yes", actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=first, actor=cast.supplier_owner.user)
    svc.assessment_complete(assessment=first, actor=cast.ciso.user)
    rel.refresh_from_db()
    assert (rel.control_band, rel.residual_risk) == ("strong", "medium")

    second = _sent(cast, rel, template)
    assert shown(second) == {"A-01", "A-02", "A-03"}
    # Scoring sees the same facts: a hidden question is not counted.
    svc.answer_save(assessment=second, code="A-01", value="yes", actor=cast.supplier_owner.user)
    excluded = {r.code: r.excluded_because for r in svc.score(second).questions}
    assert excluded["A-04"] == "hidden" and excluded["A-02"] != "hidden"
