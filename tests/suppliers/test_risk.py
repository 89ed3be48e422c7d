"""Risk appetite, re-scoring, score history and the reassessment cadence (DESIGN §6, §6.6)."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.core.audit.models import AuditEvent
from portal.core.jobs.models import Job
from portal.core.notifications.models import Notification
from questionnaires import assessments as svc
from questionnaires.services import template_import
from suppliers import appetite
from suppliers.models import Relationship, RiskHistory
from suppliers.risk import (
    add_months,
    reassessments_notify,
    relationship_mark_due,
    rescore_job,
    rescore_relationships,
    risk_appetite_set,
)
from suppliers.services import relationship_create, relationship_update
from suppliers.tiering import FACTORS, TIER_ORDER, inherent_tier, residual_risk
from tests.access import MINI_TEMPLATE, _relationship


def test_defaults_validate_to_design_values():
    clean = appetite.validate({})
    assert clean["tier_rules"]["critical"]["sum_gte"] == 11
    assert clean["band_thresholds"] == {"strong": 85.0, "adequate": 70.0, "weak": 50.0}
    assert clean["matrix"]["high"] == {
        "strong": "low",
        "adequate": "medium",
        "weak": "high",
        "poor": "critical",
    }
    assert clean["cadence_months"] == {"critical": 12, "high": 12, "medium": 24, "low": 36}
    assert clean["finding_deadlines"] == {"critical": 30, "high": 90, "medium": 180, "low": 365}


def test_every_problem_reported_at_once():
    with pytest.raises(appetite.AppetiteError) as exc:
        appetite.validate(
            {
                "band_thresholds": {"strong": 60, "adequate": 70, "weak": 50},
                "matrix": {"low": {"strong": "medium", "adequate": "low"}},
                "cadence_months": {"critical": 0},
                "finding_deadlines": {"low": "soon"},
                "colour": "red",
            }
        )
    problems = exc.value.problems
    assert "colour: unknown setting" in problems
    assert "band_thresholds: strong > adequate > weak is required" in problems
    assert "matrix.low: a weaker band cannot give a lower residual risk" in problems
    assert "cadence_months.critical: must be a whole number from 1 to 60" in problems
    assert "finding_deadlines.low: must be a whole number from 1 to 730" in problems


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 900)
    | st.floats(allow_nan=True)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["critical", "high", "strong", "sum_gte", "any_equal", "all_equal", "data"]
            )
            | st.text(max_size=4),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from([*appetite.DEFAULT_APPETITE, "x"]), _JSON))
def test_validate_never_crashes(data):
    try:
        clean = appetite.validate(data)
    except appetite.AppetiteError as exc:
        assert exc.problems
    else:
        assert set(clean) == set(appetite.DEFAULT_APPETITE)
        tier = inherent_tier(dict.fromkeys(FACTORS, 2), clean["tier_rules"]).tier
        assert residual_risk(tier, "weak", [], clean["matrix"]) in TIER_ORDER


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 23), 12) == date(2027, 11, 23)
    assert add_months(date(2026, 11, 23), 36) == date(2029, 11, 23)


def test_intake_change_adds_history_and_same_intake_does_not(cast):
    rel = _relationship(cast)["relationship"]
    assert [h.cause for h in rel.history.all()] == ["created"]
    relationship_update(relationship=rel, actor=cast.procurement.user, intake={"volume": 3})
    assert rel.history.count() == 1  # nothing changed
    relationship_update(
        relationship=rel,
        actor=cast.procurement.user,
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
    )
    last = rel.history.last()
    assert (last.cause, last.inherent_score, last.inherent_tier) == ("intake", 5, "medium")


def _complete(cast, rel, value="no"):
    data = copy.deepcopy(MINI_TEMPLATE)
    data["key"] = f"mini-{value}"
    data["sections"][0]["questions"][0]["type"] = "yes_partial_no"
    template = template_import(data=data, publish=True)
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    svc.answer_save(assessment=a, code="A-01", value=value, actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    return svc.assessment_complete(assessment=a, actor=cast.ciso.user)


def test_completion_records_history_and_schedules_by_cadence(cast):
    rel = _relationship(cast)["relationship"]  # critical
    a = _complete(cast, rel, "partial")  # 50.0 → weak → critical
    rel.refresh_from_db()
    point = rel.history.last()
    assert (point.cause, point.assessment_id, float(point.control_score), point.residual_risk) == (
        "assessment",
        a.pk,
        50.0,
        "critical",
    )
    assert point.section_scores == {"A": 50.0}
    assert rel.next_assessment_due == add_months(timezone.localdate(), 12)


def test_appetite_change_rescores_every_relationship(cast, django_assert_max_num_queries):
    rel = _relationship(cast)["relationship"]
    _complete(cast, rel, "partial")  # 50.0 → weak; critical × weak = critical
    other = relationship_create(
        care_org=cast.hospital,
        supplier=rel.supplier,
        name="Koffie",
        supplier_types=["other"],
        intake={"data": 0, "volume": 0, "continuity": 1, "access": 0, "substitutability": 0},
        actor=cast.procurement.user,
    )
    changed = risk_appetite_set(
        organisation=cast.hospital,
        data={"band_thresholds": {"strong": 80, "adequate": 50, "weak": 30}},
        actor=cast.ciso.user,
    )
    assert changed == ["band_thresholds"]
    event = AuditEvent.objects.get(action="risk_appetite.changed")
    assert event.after["band_thresholds"]["adequate"] == 50
    assert event.before["band_thresholds"]["adequate"] == 70
    job = Job.objects.create(organisation=cast.hospital, user=cast.ciso.user, kind="rescore")
    # A fixed number per chunk (locks, savepoints, the job's counter), none per relationship.
    with django_assert_max_num_queries(15):
        rescore_job(job=job)
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.result["changed"]) == ("done", 2, 2, 1)
    rel.refresh_from_db()
    assert (rel.control_band, rel.residual_risk) == ("adequate", "high")
    assert rel.history.last().cause == "appetite"
    assert other.history.count() == 1  # low stays low: no new point
    # A second run (a retried task) changes nothing and adds no history.
    assert rescore_relationships(organisation=cast.hospital) == 0
    assert RiskHistory.objects.filter(cause="appetite").count() == 1


def test_appetite_change_of_tier_rules_and_refusal(cast):
    rel = _relationship(cast)["relationship"]
    with pytest.raises(ValidationError):
        risk_appetite_set(
            organisation=cast.hospital,
            data={"tier_rules": {"critical": {"sum_gte": 3}}},
            actor=cast.ciso.user,
        )
    cast.hospital.refresh_from_db()
    assert "risk_appetite" not in cast.hospital.settings  # nothing stored
    assert risk_appetite_set(organisation=cast.hospital, data={}, actor=cast.ciso.user) == []
    risk_appetite_set(
        organisation=cast.hospital,
        data={"matrix": {"critical": {"strong": "low", "adequate": "low"}}},
        actor=cast.ciso.user,
    )
    rescore_relationships(organisation=cast.hospital)
    rel.refresh_from_db()
    assert rel.residual_risk == "critical"  # not assessed: the residual equals the tier


def test_other_organisation_is_not_rescored(cast):
    rel = _relationship(cast)["relationship"]
    _complete(cast, rel, "partial")
    risk_appetite_set(
        organisation=cast.other_care,
        data={"band_thresholds": {"strong": 40, "adequate": 30, "weak": 20}},
        actor=cast.other_care_ciso.user,
    )
    assert rescore_relationships(organisation=cast.other_care) == 0
    rel.refresh_from_db()
    assert rel.control_band == "weak"


def test_mark_due_and_month_ahead_notification(cast):
    rel = _relationship(cast)["relationship"]
    today = timezone.localdate()
    relationship_mark_due(
        relationship=rel, reason="Contract verlengd", on=today + timedelta(days=20)
    )
    rel.refresh_from_db()
    assert (rel.next_assessment_due, rel.due_reason) == (
        today + timedelta(days=20),
        "Contract verlengd",
    )
    assert AuditEvent.objects.filter(action="relationship.marked_due").count() == 1
    mail.outbox.clear()
    assert reassessments_notify(today=today) == 1
    assert reassessments_notify(today=today) == 0  # beat firing twice: one message
    note = Notification.objects.get(user=cast.procurement.user)
    assert "EPD" in note.subject
    Relationship.objects.filter(pk=rel.pk).update(next_assessment_due=today + timedelta(days=45))
    assert reassessments_notify(today=today) == 0  # more than a month ahead


def test_completion_writes_the_cached_risk_through_the_one_writer(cast):
    """The relationship, its assessment and its history tell the same residual risk, and
    re-scoring with an unchanged appetite changes nothing (one computation of §6.5)."""
    rel = _relationship(cast)["relationship"]  # critical
    a = _complete(cast, rel, "yes")  # 100.0 → strong; critical × strong = medium
    rel.refresh_from_db()
    a.refresh_from_db()
    point = rel.history.last()
    assert (rel.control_band, rel.residual_risk, rel.assessed) == ("strong", "medium", True)
    assert (a.control_band, a.residual_risk) == (rel.control_band, rel.residual_risk)
    assert (point.control_band, point.residual_risk) == ("strong", "medium")
    assert rel.risk_explanation["knockouts"] == [] and rel.risk_explanation["tier_reasons"]
    assert rescore_relationships(organisation=cast.hospital) == 0


def test_knockout_raises_the_residual_risk_to_high_on_completion(cast):
    from suppliers.risk import Assessed, relationship_risk_cache_write

    rel = relationship_create(
        care_org=cast.hospital,
        supplier=_relationship(cast)["relationship"].supplier,
        name="Koffie",
        supplier_types=["other"],
        intake={"data": 0, "volume": 0, "continuity": 1, "access": 0, "substitutability": 0},
        actor=cast.procurement.user,
    )
    assert (rel.inherent_tier, rel.residual_risk, rel.assessed) == ("low", "low", False)
    scores = {"section_scores": {"A": 100.0}, "knockouts": ["A-01"], "explanation": []}
    point = relationship_risk_cache_write(
        relationship=rel, cause="assessment", assessed=Assessed(None, "", scores)
    )
    rel.refresh_from_db()
    assert (rel.residual_risk, rel.control_band, rel.assessed) == ("high", "", True)
    assert (point.cause, point.residual_risk) == ("assessment", "high")
