"""Assigning sections or single questions to supplier colleagues (DESIGN §10).

Anyone answering for the supplier may assign; the assignee must be an active member of the same
supplier. The assignee is notified and sees what is theirs first. A question assignment wins
over its section's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict
from portal.core.notifications.services import notice_kind, notify

from .assessments import ANSWERABLE, _lock, applicable_questions
from .models import Assessment, Assignment

ASSIGNED = notice_kind(
    "assessment.assigned", gettext_lazy("Questions were assigned to you"), side="supplier"
)


def _member_of_supplier(user, assessment: Assessment) -> bool:
    return user.memberships.filter(
        organisation=assessment.relationship.supplier, is_active=True, user__is_active=True
    ).exists()


@transaction.atomic
def assignment_set(
    *, assessment: Assessment, actor, assignee, section: str = "", question: str = "", request=None
) -> Assignment | None:
    """Assign (or with `assignee=None` clear) a section or a question; returns the assignment."""
    assessment = _lock(assessment)
    if assessment.status not in ANSWERABLE:
        raise Conflict(_("Assignments can change only while the questionnaire is being answered."))
    if bool(section) == bool(question):
        raise ValidationError({"target": _("Choose one section or one question.")})
    questions = applicable_questions(assessment)
    if section and section not in {q.section.code for q in questions}:
        raise ValidationError({"section": _("No such section in this assessment.")})
    if question and question not in {q.code for q in questions}:
        raise ValidationError({"question": _("No such question in this assessment.")})
    if assignee is not None and not _member_of_supplier(assignee, assessment):
        raise ValidationError({"assignee": _("Assign to a colleague of your own organisation.")})
    current = Assignment.objects.filter(
        assessment=assessment, section_code=section, question_code=question
    ).first()
    before = {"assignee": current.assignee.email if current else None}
    if assignee is None:
        if current is not None:
            current.delete()
        result = None
    elif current is not None and current.assignee_id == assignee.pk:
        return current
    else:
        result, _created = Assignment.objects.update_or_create(
            assessment=assessment,
            section_code=section,
            question_code=question,
            defaults={"assignee": assignee, "assigned_by": actor},
        )
    audit_record(
        action="assessment.assigned",
        organisation=assessment.relationship.supplier,
        actor=actor,
        obj=assessment,
        before=before,
        after={"target": section or question, "assignee": assignee.email if assignee else None},
        request=request,
    )
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        target = section or question
        customer = assessment.relationship.care_org.name

        def render():
            return (
                _("You were assigned %(target)s for %(customer)s")
                % {
                    "target": target,
                    "customer": customer,
                },
                _(
                    "%(who)s asked you to answer %(target)s in the questionnaire for %(customer)s "
                    "(due %(date)s). What is yours is shown first when you open it."
                )
                % {
                    "who": actor,
                    "target": target,
                    "customer": customer,
                    "date": assessment.due_date.isoformat(),
                },
            )

        notify(
            user=assignee,
            organisation=assessment.relationship.supplier,
            render=render,
            url=reverse("assessment_detail", args=[assessment.pk]) + "?mine=1",
            kind=ASSIGNED,
        )
    return result


def assignments_of(assessment: Assessment) -> tuple[dict[str, Assignment], dict[str, Assignment]]:
    """(by section code, by question code)."""
    by_section, by_question = {}, {}
    for a in assessment.assignments.select_related("assignee"):
        if a.section_code:
            by_section[a.section_code] = a
        else:
            by_question[a.question_code] = a
    return by_section, by_question


def assignee_for(question, by_section, by_question):
    """Who answers this question: its own assignment, else its section's, else nobody."""
    hit = by_question.get(question.code) or by_section.get(question.section.code)
    return hit.assignee if hit else None
