"""What the contracts layer adds to lower-layer events (registered in ContractsConfig.ready)."""

from __future__ import annotations

from .checklist import checklist_generate
from .services import certificate_reminders, contract_reminders

__all__ = [
    "after_completion",
    "after_intake_change",
    "certificate_reminders",
    "contract_reminders",
    "exit_test_reminders",
    "load_library_after_migrate",
]


def after_completion(*, assessment, result=None, actor=None, **_kw) -> None:
    """New answers: the clause checklist and the exit note follow (people's work is kept)."""
    from .exitnote import exit_note_generate

    checklist_generate(relationship=assessment.relationship, actor=actor)
    lang = getattr(actor, "language", "") or "nl"
    exit_note_generate(relationship=assessment.relationship, actor=actor, lang=lang)


def exit_test_reminders(*, today):
    from .exitnote import exit_test_reminders as run

    return run(today=today)


def after_intake_change(*, relationship, actor=None) -> None:
    from .exitnote import exit_note_refresh

    checklist_generate(relationship=relationship, actor=actor)
    exit_note_refresh(relationship=relationship, actor=actor)


def load_library_after_migrate(*, using="default", **_kw) -> None:
    """`migrate` keeps the shipped clause library in step with contracts/library/clauses.yaml
    (validated first; an invalid file stops the migration with every error listed)."""
    from .library import library_load

    library_load(using=using)
