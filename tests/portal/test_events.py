"""Domain events (DESIGN §3): the registry, its pinned flow, and how subscribers run."""

from __future__ import annotations

import ast
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from portal.core import events
from tests.access import assessment_at

ROOT = Path(__file__).resolve().parents[2]

# The whole flow, pinned: every event with its subscribers in the order they run. A change here
# is a change of what the domain's key moments cause — review it as such.
FLOW = {
    "assessment.cancelled": [],
    "assessment.clarification_requested": [
        "questionnaires.joint_forward_clarification",
        "questionnaires.notify_supplier",
    ],
    "assessment.completed": [
        "questionnaires.raise_findings",
        "questionnaires.rescore_relationship",
        "questionnaires.schedule_reassessment",
        "contracts.refresh_clause_checklist",
        "contracts.generate_exit_note",
        "questionnaires.notify_supplier",
    ],
    "assessment.sent": [
        "questionnaires.prefill_from_library",
        "questionnaires.notify_supplier",
    ],
    "assessment.submitted": [
        "questionnaires.store_in_library",
        "questionnaires.complete_rapid_round",
        "questionnaires.joint_copy_answers",
        "questionnaires.notify_reviewers",
        "questionnaires.notify_joint_participants",
    ],
    "daily": [
        "reassessments",
        "incident_stage_reminders",
        "decisions_expired",
        "findings_overdue",
        "findings_plan_due",
        "assessment_reminders",
        "rapid_reminders",
        "csaf_feeds",
        "contract_reminders",
        "certificate_reminders",
        "exit_test_reminders",
        "digests",
    ],
    "advisory.proposed": ["csaf.notify_security"],
    "decision.decided": ["questionnaires.notify_proposer_and_security"],
    "decision.expired": [],
    "decision.proposed": ["questionnaires.notify_board"],
    "finding.closed": [],
    "finding.overdue": ["questionnaires.tell_finding_owner", "questionnaires.notify_supplier"],
    "finding.plan_due": ["questionnaires.notify_supplier"],
    "finding.plan_submitted": ["questionnaires.tell_finding_owner"],
    "finding.raised": [],
    "incident.acknowledged": [],
    "incident.reported": ["incidents.notify_care"],
    "incident.updated": ["incidents.notify_care"],
    "rapid_assessment.completed": ["questionnaires.notify_security_and_board"],
    "relationship.created": [],
    "trust_profile.changed": ["questionnaires.notify_profile_readers"],
    "joint_assessment.invited": ["questionnaires.notify_invited"],
    "joint_assessment.responded": ["questionnaires.notify_lead_and_supplier"],
    "relationship.intake_changed": [
        "contracts.refresh_clause_checklist",
        "contracts.refresh_exit_note",
    ],
}


# After-commit subscribers of every event (events.subscribe_all), after each event's own steps:
# webhook delivery decides per event who may receive it (portal/core/webhooks/audience.py).
EVERY_EVENT = ["webhooks.fan_out"]
FLOW = {name: [*steps, *EVERY_EVENT] for name, steps in FLOW.items()}


def _flow() -> dict[str, list[str]]:
    return {e.name: [s.label for s in events.subscribers(e.name)] for e in events.event_types()}


def test_every_event_and_its_subscribers_in_order_are_pinned():
    assert _flow() == FLOW


def test_events_command_shows_every_step_of_completion_in_order():
    out = StringIO()
    call_command("events", "assessment.completed", stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines()]
    steps = [line.split("] ", 1)[1].split()[0] for line in lines if line[:1].isdigit()]
    assert steps == FLOW["assessment.completed"]
    assert "[after commit, every event, queue mail] webhooks.fan_out" in lines[-2]
    assert lines[0] == "assessment.completed"
    assert "payload: assessment, status, relationship, care_organisation, supplier, actor" in lines


def test_events_command_json_lists_all_events_with_payload_and_functions():
    out = StringIO()
    call_command("events", "--format", "json", stdout=out)
    listed = json.loads(out.getvalue())
    assert {e["name"]: [s["label"] for s in e["subscribers"]] for e in listed} == FLOW
    completed = next(e for e in listed if e["name"] == "assessment.completed")
    assert completed["subscribers"][0]["function"] == (
        "questionnaires.assessments.workflow.assessment_raise_findings"
    )
    assert "result" in completed["arguments"] and "result" not in completed["data"]


def test_events_command_refuses_an_unknown_event_name():
    with pytest.raises(CommandError, match="Unknown event"):
        call_command("events", "assessment.teleported", stdout=StringIO())


def test_emit_refuses_unknown_events_and_wrong_arguments():
    with pytest.raises(LookupError):
        events.emit("assessment.teleported")
    with pytest.raises(TypeError, match="takes"):
        events.emit("daily")
    with pytest.raises(LookupError):
        events.subscribe("nothing.happened")(print)


@pytest.fixture
def scratch_event(monkeypatch):
    """A throw-away event for the mechanics; removed again so the pinned flow stays exact. The
    subscribers of every event (webhooks) are left out here: they have their own tests."""
    monkeypatch.setattr(events, "_FOR_ALL", [])
    name = "test.happened"
    events.define(
        name,
        summary="Only in tests.",
        arguments={"value": "a number", "log": "a list to append to"},
        data={"value": "the number"},
        build_data=lambda *, value, log: {"value": value},
    )
    yield name
    events._EVENTS.pop(name)
    events._SUBSCRIBERS.pop(name)


def test_in_transaction_subscribers_run_in_order_and_return_their_results(scratch_event):
    events.subscribe(scratch_event, label="first")(lambda *, value, log: log.append(1) or value)
    events.subscribe(scratch_event, label="second")(
        lambda *, value, log: log.append(2) or 2 * value
    )
    log: list[int] = []
    assert events.emit(scratch_event, value=21, log=log) == {"first": 21, "second": 42}
    assert log == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_a_subscriber_of_every_event_runs_after_the_events_own_and_for_later_events(
    scratch_event,
):
    received: list[tuple[str, str]] = []
    events.subscribe(scratch_event, label="own", after_commit=True)(
        lambda env: received.append(("own", env["type"]))
    )
    events.subscribe_all(label="every")(lambda env: received.append(("every", env["type"])))
    events.subscribe_all(label="every")(print)  # registered twice: still one step
    assert [s.label for s in events.subscribers(scratch_event)] == ["own", "every"]
    assert [s.kind for s in events.subscribers("daily")][-1] == "after commit, every event"
    with transaction.atomic():
        events.emit(scratch_event, value=1, log=[])
    assert received == [("own", scratch_event), ("every", scratch_event)]


def test_subscribing_the_same_label_twice_keeps_one_step(scratch_event):
    step = events.subscribe(scratch_event, label="once")(lambda **kw: None)
    events.subscribe(scratch_event, label="once")(step)
    assert [s.label for s in events.subscribers(scratch_event)] == ["once"]


@pytest.mark.django_db(transaction=True)
def test_after_commit_subscribers_get_the_public_data_only_after_commit(scratch_event):
    received: list[dict] = []
    events.subscribe(scratch_event, label="later", after_commit=True)(received.append)
    with transaction.atomic():
        assert events.emit(scratch_event, value=7, log=[]) == {}
        assert received == []  # not before the commit
    [envelope] = received
    assert envelope["type"] == scratch_event and envelope["data"] == {"value": 7}
    assert envelope["id"].startswith("evt_") and envelope["timestamp"]


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_after_commit_task_does_the_work_once(scratch_event):
    received: list[dict] = []
    events.subscribe(scratch_event, label="later", after_commit=True)(received.append)
    with transaction.atomic():
        events.emit(scratch_event, value=7, log=[])
    envelope = received[0]
    assert events.deliver("later", envelope) is False  # the broker handed it out again
    assert len(received) == 1
    other = {**envelope, "id": "evt_other"}
    assert events.deliver("later", other) is True
    assert len(received) == 2


@pytest.mark.django_db(transaction=True)
def test_after_commit_subscribers_never_run_when_the_change_rolls_back(scratch_event):
    received: list[dict] = []
    events.subscribe(scratch_event, label="later", after_commit=True)(received.append)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(scratch_event, value=7, log=[])
        raise RuntimeError("the change fails")
    assert received == []


def test_an_in_transaction_subscriber_that_fails_undoes_the_change(cast, scratch_event):
    from portal.core.accounts.models import Organisation

    def broken(**_kw):
        raise ValueError("step failed")

    events.subscribe(scratch_event, label="broken")(broken)
    with pytest.raises(ValueError), transaction.atomic():
        Organisation.objects.filter(pk=cast.hospital.pk).update(name="Changed")
        events.emit(scratch_event, value=1, log=[])
    cast.hospital.refresh_from_db()
    assert cast.hospital.name == "Ziekenhuis Test"


def test_every_events_public_data_is_json_and_holds_no_scores(
    cast, django_capture_on_commit_callbacks
):
    """Build each assessment event's data from a real completed assessment: plain JSON, ids and
    states, nothing a supplier may not see."""
    from questionnaires import assessments as svc

    world = assessment_at(cast, "in_review")
    a = svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)
    finding = a.relationship.findings.get()
    for event in events.event_types():
        args = {
            "assessment": a,
            "actor": cast.ciso.user,
            "request": None,
            "resubmission": False,
            "result": None,
            "finding": finding,
            "relationship": a.relationship,
            "today": a.due_date,
            "decision": None,
            "incident": None,
            "recipient": None,
            "rapid": None,
            "advisory": None,
        }
        if {"decision", "incident", "recipient", "profile", "rapid", "advisory", "seat"} & set(
            event.arguments
        ):
            continue  # covered with real objects in their own tests
        data = event.build_data(**{k: args[k] for k in event.arguments})
        assert set(data) == set(event.data), event.name
        text = json.dumps(data)
        for secret in ("score", "weight", "knockout", "intake", "tier", "residual"):
            assert secret not in text, (event.name, secret)


def test_completion_emits_once_and_its_steps_leave_their_results(cast):
    """The completion steps run in the pinned order: findings, rescore, schedule, checklist,
    exit note — each leaves its mark."""
    from contracts.models import ChecklistItem, ExitNote
    from portal.core.audit.models import AuditEvent
    from questionnaires import assessments as svc

    world = assessment_at(cast, "in_review")
    a = svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)
    rel = a.relationship
    rel.refresh_from_db()
    assert rel.findings.count() == 1
    assert rel.assessed and rel.residual_risk == a.residual_risk
    assert rel.next_assessment_due is not None
    assert ChecklistItem.objects.filter(relationship=rel).exists()
    assert ExitNote.objects.filter(relationship=rel).exists()
    actions = list(
        AuditEvent.objects.filter(action__in=["finding.raised", "relationship.rescored"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["finding.raised", "relationship.rescored"]


def test_no_module_keeps_a_hook_list_for_other_layers_to_fill():
    """DESIGN §3: no ad-hoc hook lists next to the registry."""
    problems = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] not in ("portal", "suppliers", "questionnaires", "contracts"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.AnnAssign | ast.Assign):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                empty_list = isinstance(node.value, ast.List) and not node.value.elts
                if empty_list and any(n.endswith(("HOOKS", "STEPS")) for n in names):
                    problems.append(f"{rel}: {names}")
    assert problems == []
