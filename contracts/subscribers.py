"""What the contracts layer does when domain events happen (registered by ContractsConfig.ready):
the clause checklist and the exit note follow the intake and the answers; the daily run sends
contract, certificate and exit-test reminders."""

from __future__ import annotations

from portal.core.events import subscribe

from .checklist import checklist_generate
from .exitnote import exit_note_generate, exit_note_refresh, exit_test_reminders
from .services import certificate_reminders, contract_reminders


def checklist_after_completion(*, assessment, actor, **_event) -> None:
    """New answers: the clause checklist follows (statuses people set are kept)."""
    checklist_generate(relationship=assessment.relationship, actor=actor)


def exit_note_after_completion(*, assessment, actor, **_event) -> None:
    """New answers: the exit note is generated again (edited sections are kept)."""
    lang = getattr(actor, "language", "") or "nl"
    exit_note_generate(relationship=assessment.relationship, actor=actor, lang=lang)


def checklist_after_intake(*, relationship, actor, **_event) -> None:
    checklist_generate(relationship=relationship, actor=actor)


def exit_note_after_intake(*, relationship, actor, **_event) -> None:
    exit_note_refresh(relationship=relationship, actor=actor)


STEPS = (
    ("assessment.completed", "contracts.refresh_clause_checklist", checklist_after_completion),
    ("assessment.completed", "contracts.generate_exit_note", exit_note_after_completion),
    ("relationship.intake_changed", "contracts.refresh_clause_checklist", checklist_after_intake),
    ("relationship.intake_changed", "contracts.refresh_exit_note", exit_note_after_intake),
    ("daily", "contract_reminders", contract_reminders),
    ("daily", "certificate_reminders", certificate_reminders),
    ("daily", "exit_test_reminders", exit_test_reminders),
)


def register() -> None:
    for event, label, step in STEPS:
        subscribe(event, label=label)(step)
