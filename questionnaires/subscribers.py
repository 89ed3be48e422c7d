"""What the questionnaires app does when domain events happen (QuestionnairesConfig.ready).

Read top to bottom, this is the flow: `manage.py events` prints the same, with the steps that
higher layers add after these.
"""

from __future__ import annotations

from portal.core.events import subscribe

from .assessments import (
    assessment_prefill,
    assessment_raise_findings,
    assessment_store_library,
    relationship_rescore_from,
    relationship_schedule_next,
)
from .decisions import decisions_expire
from .findings import (
    finding_tell_owner_overdue,
    finding_tell_owner_plan,
    findings_notify_overdue,
    findings_remind_plan_due,
)
from .joint.notices import notify_copies_ready, notify_invited, notify_responded
from .joint.services import forward_clarification, sync_after_submission
from .notices import (
    notify_clarification,
    notify_completed,
    notify_decision_decided,
    notify_decision_proposed,
    notify_plan_due,
    notify_sent,
    notify_submitted,
    notify_supplier_overdue,
)
from .rapid.notices import notify_rapid_completed
from .rapid.services import rapid_check_completed, rapid_remind
from .reminders import send_assessment_reminders
from .sharing.notices import notify_profile_readers

STEPS = (
    # sending: prefill from the supplier's library (the supplier is told after commit)
    ("assessment.sent", "questionnaires.prefill_from_library", assessment_prefill),
    ("assessment.submitted", "questionnaires.store_in_library", assessment_store_library),
    ("assessment.submitted", "questionnaires.complete_rapid_round", rapid_check_completed),
    # joint assessments: each participant's copy follows the lead's; questions go to it once
    ("assessment.submitted", "questionnaires.joint_copy_answers", sync_after_submission),
    (
        "assessment.clarification_requested",
        "questionnaires.joint_forward_clarification",
        forward_clarification,
    ),
    # completion: findings, the relationship's cached risk, the next reassessment date
    ("assessment.completed", "questionnaires.raise_findings", assessment_raise_findings),
    ("assessment.completed", "questionnaires.rescore_relationship", relationship_rescore_from),
    ("assessment.completed", "questionnaires.schedule_reassessment", relationship_schedule_next),
    ("finding.plan_submitted", "questionnaires.tell_finding_owner", finding_tell_owner_plan),
    ("finding.overdue", "questionnaires.tell_finding_owner", finding_tell_owner_overdue),
    # the daily run (the labels are the counts `manage.py send_reminders` prints)
    ("daily", "decisions_expired", decisions_expire),
    ("daily", "findings_overdue", findings_notify_overdue),
    ("daily", "findings_plan_due", findings_remind_plan_due),
    ("daily", "assessment_reminders", send_assessment_reminders),
    ("daily", "rapid_reminders", rapid_remind),
)

# Hand-offs: after commit, on the "mail" queue, whoever must act next is told (notices.py).
NOTICES = (
    ("assessment.sent", "questionnaires.notify_supplier", notify_sent),
    ("assessment.submitted", "questionnaires.notify_reviewers", notify_submitted),
    ("assessment.clarification_requested", "questionnaires.notify_supplier", notify_clarification),
    ("assessment.completed", "questionnaires.notify_supplier", notify_completed),
    ("finding.plan_due", "questionnaires.notify_supplier", notify_plan_due),
    ("finding.overdue", "questionnaires.notify_supplier", notify_supplier_overdue),
    ("decision.proposed", "questionnaires.notify_board", notify_decision_proposed),
    ("decision.decided", "questionnaires.notify_proposer_and_security", notify_decision_decided),
    ("trust_profile.changed", "questionnaires.notify_profile_readers", notify_profile_readers),
    ("assessment.submitted", "questionnaires.notify_joint_participants", notify_copies_ready),
    ("joint_assessment.invited", "questionnaires.notify_invited", notify_invited),
    ("joint_assessment.responded", "questionnaires.notify_lead_and_supplier", notify_responded),
    (
        "rapid_assessment.completed",
        "questionnaires.notify_security_and_board",
        notify_rapid_completed,
    ),
)


def register() -> None:
    for event, label, step in STEPS:
        subscribe(event, label=label)(step)
    for event, label, step in NOTICES:
        subscribe(event, label=label, after_commit=True, queue="mail")(step)
