"""Double clicks on the workflow buttons, on PostgreSQL: a second send, submit or complete of
one assessment at the same moment gets a clear conflict, and nothing is recorded twice —
no duplicate findings, risk-history points, checklist items, exit-note versions, library
entries, notifications or e-mails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from contracts.models import ChecklistItem, ExitNote, ExitNoteVersion
from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict
from portal.core.notifications.models import Notification
from questionnaires import assessments as svc
from questionnaires.models import Finding, LibraryAnswer
from suppliers.models import RiskHistory
from suppliers.services import relationship_create, supplier_register
from tests.access import assessment_at
from tests.conftest import api_client_for

from .parallel import concurrent_db, run_together

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_db]


def _events(action: str, obj) -> int:
    return AuditEvent.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).count()


def _one_won(outcomes) -> None:
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == len(outcomes) - 1, errors
    assert all(isinstance(e, Conflict) and e.message for e in errors), errors


def test_double_send_notifies_the_supplier_once(cast):
    a = assessment_at(cast, "draft")["assessment"]

    def send(user):
        return lambda: svc.assessment_send(assessment=a, actor=user)

    outcomes = run_together(send(cast.procurement.user), send(cast.ciso.user))

    _one_won(outcomes)
    a.refresh_from_db()
    assert a.status == "sent"
    assert _events("assessment.sent", a) == 1
    supplier_people = {cast.supplier_owner.user.email, cast.respondent.user.email}
    notes = Notification.objects.filter(organisation=cast.supplier)
    assert sorted(n.user.email for n in notes) == sorted(supplier_people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(supplier_people)


def test_double_submit_submits_once(cast):
    a = assessment_at(cast, "in_progress")["assessment"]

    def submit(user):
        return lambda: svc.assessment_submit(assessment=a, actor=user)

    outcomes = run_together(submit(cast.supplier_owner.user), submit(cast.respondent.user))

    _one_won(outcomes)
    a.refresh_from_db()
    assert a.status == "submitted" and a.submitted_at is not None
    assert _events("assessment.submitted", a) == 1
    assert LibraryAnswer.objects.filter(supplier=cast.supplier, code="A-01").count() == 1


def test_double_complete_over_the_api_completes_once(cast):
    world = assessment_at(cast, "submitted")  # A-01 answered "no": one finding
    a, rel = world["assessment"], world["relationship"]
    history_before = RiskHistory.objects.filter(relationship=rel).count()
    notes_before = Notification.objects.count()
    url = reverse("assessment-complete", kwargs={"pk": a.pk})
    clients = [api_client_for(cast.ciso), api_client_for(cast.care_admin)]

    def complete(client):
        return lambda: client.post(url, data="{}", content_type="application/json")

    outcomes = run_together(*(complete(c) for c in clients))

    assert all(o.error is None for o in outcomes)
    responses = sorted((o.value for o in outcomes), key=lambda r: r.status_code)
    assert [r.status_code for r in responses] == [200, 409]
    assert responses[0].json()["status"] == "completed"
    assert responses[1].json()["detail"]  # the clear message, not a server error
    a.refresh_from_db()
    assert a.status == "completed"
    assert _events("assessment.completed", a) == 1
    assert _events("relationship.rescored", rel) == 1
    # One finding for the one failed answer, raised once.
    finding = Finding.objects.get(relationship=rel)
    assert finding.question_code == "A-01" and _events("finding.raised", finding) == 1
    # One history point for this completion, next to the one from registering the supplier.
    assert RiskHistory.objects.filter(relationship=rel).count() == history_before + 1
    assert RiskHistory.objects.filter(relationship=rel, assessment_id=a.pk).count() == 1
    # The clause checklist once per clause, the exit note generated once with one version.
    clauses = list(ChecklistItem.objects.filter(relationship=rel).values_list("clause", flat=True))
    assert clauses and len(clauses) == len(set(clauses))
    note = ExitNote.objects.get(relationship=rel)
    assert ExitNoteVersion.objects.filter(note=note).count() == 1
    assert (
        AuditEvent.objects.filter(action="exit_note.generated", object_id=str(rel.pk)).count() == 1
    )
    # The supplier owner is told of the completion once (the hand-off, after commit).
    assert Notification.objects.count() == notes_before + 1


def test_two_customers_submitting_at_once_share_one_library_entry(cast):
    """Two care organisations' questionnaires for one supplier, submitted at the same moment:
    the supplier's answer library keeps one entry per question code."""
    first = assessment_at(cast, "in_progress")["assessment"]
    link = supplier_register(
        care_org=cast.other_care,
        name="Leverancier B.V.",
        kvk_number="12345678",
        actor=cast.other_care_admin.user,
    )
    rel = relationship_create(
        care_org=cast.other_care,
        supplier=link.supplier,
        name="EPD elders",
        supplier_types=["epd"],
        intake={"data": 3, "volume": 2, "continuity": 2, "access": 2, "substitutability": 2},
        actor=cast.other_care_admin.user,
    )
    second = svc.assessment_create(
        relationship=rel, template=first.template, due_date=None, actor=cast.other_care_admin.user
    )
    svc.assessment_send(assessment=second, actor=cast.other_care_admin.user)
    svc.answer_save(assessment=second, code="A-01", value="yes", actor=cast.respondent.user)

    def submit(a):
        return lambda: svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)

    outcomes = run_together(submit(first), submit(second))

    assert [o.error for o in outcomes] == [None, None]
    entries = LibraryAnswer.objects.filter(supplier=cast.supplier, code="A-01")
    assert entries.count() == 1
    assert entries.get().value in ("yes", "no")
