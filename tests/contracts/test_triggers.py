"""The shipped clause library triggers what the law and the design ask for (DOMAIN.md §8b)."""

from __future__ import annotations

from contracts.checklist import evaluate_clauses
from contracts.library import LIBRARY_FILE, parse_library
from contracts.models import Clause
from questionnaires import assessments as svc
from questionnaires.models import QuestionnaireTemplate
from suppliers.services import relationship_create
from tests.access import _relationship

AVG_28 = {f"AVG-28-3-{x}" for x in "ABCDEFGH"}


def _codes(rel) -> set[str]:
    by_id = dict(Clause.objects.values_list("pk", "code"))
    return {by_id[pk] for pk in evaluate_clauses(rel)}


def _rel(cast, intake, types=("other",), name="R"):
    link_rel = _relationship(cast)["relationship"]
    return relationship_create(
        care_org=cast.hospital,
        supplier=link_rel.supplier,
        name=name,
        supplier_types=list(types),
        intake=intake,
        actor=cast.procurement.user,
    )


LOW = {"data": 0, "volume": 0, "continuity": 0, "access": 0, "substitutability": 0}


def test_the_library_is_complete_and_bilingual(db):
    clauses = parse_library(LIBRARY_FILE.read_bytes())
    assert len(clauses) >= 30
    codes = {c["code"] for c in clauses}
    assert AVG_28 <= codes
    for required in (
        "SUB-APPROVAL",
        "TRANSFER",
        "SECURITY-CERT",
        "INCIDENT-NOTIFY",
        "INCIDENT-AUTHORITIES",
        "AUDIT-RIGHTS",
        "VULN-MGMT",
        "LOGGING-7513",
        "BACKUP",
        "ESCROW",
        "EXIT-ASSIST",
        "DATA-RETURN",
        "DATA-ACT-SWITCH",
        "LEGACY-ACCESS",
        "AI-USE",
        "SUPPLY-CHAIN",
        "LAW-CHANGE",
    ):
        assert required in codes, required
    assert all(c["title"]["nl"] and c["title"]["en"] and c["basis"] for c in clauses)
    notify = next(c for c in clauses if c["code"] == "INCIDENT-NOTIFY")
    assert "24" in notify["requirement"]["en"] and "72" in notify["requirement"]["en"]


def test_health_data_triggers_every_avg_28_clause(cast):
    rel = _rel(cast, {**LOW, "data": 3})
    assert AVG_28 <= _codes(rel)
    assert not AVG_28 & _codes(_rel(cast, LOW, name="Koffie"))


def test_critical_tier_triggers_exit_assistance_and_audit_rights(cast):
    rel = _rel(cast, {**LOW, "continuity": 3})  # continuity 3 → critical
    assert rel.inherent_tier == "critical"
    codes = _codes(rel)
    assert {"EXIT-ASSIST", "AUDIT-RIGHTS", "LIABILITY", "TERMINATION"} <= codes
    low = _codes(_rel(cast, LOW, name="Koffie"))
    assert not {"EXIT-ASSIST", "AUDIT-RIGHTS"} & low
    assert {"INCIDENT-NOTIFY", "LAW-CHANGE"} <= low  # these apply to everyone


def test_data_outside_the_eu_triggers_transfer_safeguards(cast):
    world = _relationship(cast)
    rel = world["relationship"]
    assert "TRANSFER" not in _codes(rel)
    from questionnaires.services import banks_load

    banks_load()
    template = QuestionnaireTemplate.objects.get(key="zorg-leveranciers")
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    svc.answer_save(assessment=a, code="LOC-02", value="no", actor=cast.supplier_owner.user)
    from questionnaires.models import Assessment

    Assessment.objects.filter(pk=a.pk).update(status="submitted")
    codes = _codes(rel)
    assert "TRANSFER" in codes
    reasons = evaluate_clauses(rel)[Clause.objects.get(code="TRANSFER").pk]
    assert reasons[0]["en"].startswith("Answer to LOC-02") and reasons[0]["en"].endswith(": no")


def test_cloud_triggers_the_data_act_switching_terms(cast):
    assert "DATA-ACT-SWITCH" in _codes(_rel(cast, LOW, types=["cloud"]))
    assert "DATA-ACT-SWITCH" not in _codes(_rel(cast, LOW, types=["it_services"], name="Beheer"))
