"""What the questionnaires app does when domain events happen (QuestionnairesConfig.ready).

Read top to bottom, this is the flow: `manage.py events` prints the same, with the steps that
higher layers add after these.
"""

from __future__ import annotations

from portal.core.events import subscribe

from .assessments import (
    assessment_announce,
    assessment_prefill,
    assessment_raise_findings,
    assessment_store_library,
    relationship_rescore_from,
    relationship_schedule_next,
)
from .decisions import decisions_expire
from .findings import finding_tell_owner_overdue, finding_tell_owner_plan, findings_notify_overdue
from .reminders import send_assessment_reminders

STEPS = (
    # sending: prefill from the supplier's library, then tell the supplier
    ("assessment.sent", "questionnaires.prefill_from_library", assessment_prefill),
    ("assessment.sent", "questionnaires.tell_supplier", assessment_announce),
    ("assessment.submitted", "questionnaires.store_in_library", assessment_store_library),
    # completion: findings, the relationship's cached risk, the next reassessment date
    ("assessment.completed", "questionnaires.raise_findings", assessment_raise_findings),
    ("assessment.completed", "questionnaires.rescore_relationship", relationship_rescore_from),
    ("assessment.completed", "questionnaires.schedule_reassessment", relationship_schedule_next),
    ("finding.plan_submitted", "questionnaires.tell_finding_owner", finding_tell_owner_plan),
    ("finding.overdue", "questionnaires.tell_finding_owner", finding_tell_owner_overdue),
    # the daily run (the labels are the counts `manage.py send_reminders` prints)
    ("daily", "decisions_expired", decisions_expire),
    ("daily", "findings_overdue", findings_notify_overdue),
    ("daily", "assessment_reminders", send_assessment_reminders),
)


def register() -> None:
    for event, label, step in STEPS:
        subscribe(event, label=label)(step)
