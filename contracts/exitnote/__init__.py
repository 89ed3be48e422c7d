"""The exit note (DESIGN §9, DOMAIN §8c), one module per concern: `facts` (what the portal
knows), `texts` (the generated paragraphs), `services` (generate, edit, approve, versions),
`exit_tests` (recording tests and their reminders) and `views` (the pages)."""

from .exit_tests import exit_test_record, exit_test_reminders
from .facts import gather
from .services import (
    exit_note_approve,
    exit_note_generate,
    exit_note_new_version,
    exit_note_refresh,
    exit_proposal_decide,
    exit_section_save,
)
from .texts import SECTIONS, clean_text, generate_texts, section_title

__all__ = [
    "SECTIONS",
    "clean_text",
    "exit_note_approve",
    "exit_note_generate",
    "exit_note_new_version",
    "exit_note_refresh",
    "exit_proposal_decide",
    "exit_section_save",
    "exit_test_record",
    "exit_test_reminders",
    "gather",
    "generate_texts",
    "section_title",
]
