"""Assigning sections and questions to supplier colleagues (DESIGN §10)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict
from portal.core.notifications.models import Notification
from questionnaires.assignments import assignment_set
from questionnaires.models import Assignment
from tests.access import assessment_at
from tests.conftest import client_for


def test_assign_notifies_and_the_respondent_sees_what_is_theirs_first(cast):
    a = assessment_at(cast, "sent")["assessment"]
    owner = client_for(cast.supplier_owner)
    r = owner.post(
        reverse("assessment_assign", kwargs={"pk": a.pk}),
        {"target": "section:A", "assignee": cast.respondent.user.pk},
    )
    assert r.status_code == 302 and r["Location"].endswith("#s-A")
    assignment = Assignment.objects.get(assessment=a)
    assert (assignment.section_code, assignment.assignee) == ("A", cast.respondent.user)
    note = Notification.objects.get(user=cast.respondent.user, url__endswith="?mine=1")
    assert note.subject == "U bent aangewezen voor A van Ziekenhuis Test"
    assert AuditEvent.objects.filter(action="assessment.assigned").count() == 1
    respondent = client_for(cast.respondent)
    inbox = respondent.get(reverse("assessment_list")).content.decode()
    assert "assigned to you" in inbox
    page = respondent.get(reverse("assessment_detail", kwargs={"pk": a.pk}) + "?mine=1")
    body = page.content.decode()
    assert "1 question is assigned to you" in body and 'href="?q=A-01&amp;mine=1#q-A-01"' in body
    # The care organisation never sees who answers what.
    care = client_for(cast.ciso).get(reverse("assessment_detail", kwargs={"pk": a.pk}))
    assert "assigned to you" not in care.content.decode()
    assert "Section assigned to" not in care.content.decode()


def test_assign_refuses_outsiders_unknown_codes_and_closed_assessments(cast):
    a = assessment_at(cast, "sent")["assessment"]
    with pytest.raises(ValidationError):
        assignment_set(
            assessment=a,
            actor=cast.supplier_owner.user,
            assignee=cast.other_supplier_owner.user,
            question="A-01",
        )
    with pytest.raises(ValidationError):
        assignment_set(
            assessment=a,
            actor=cast.supplier_owner.user,
            assignee=cast.respondent.user,
            question="Z-9",
        )
    with pytest.raises(ValidationError):
        assignment_set(
            assessment=a,
            actor=cast.supplier_owner.user,
            assignee=cast.respondent.user,
            section="A",
            question="A-01",
        )
    assert not Assignment.objects.exists()
    from questionnaires import assessments as svc

    svc.answer_save(assessment=a, code="A-01", value="yes", actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    with pytest.raises(Conflict):
        assignment_set(
            assessment=a,
            actor=cast.supplier_owner.user,
            assignee=cast.respondent.user,
            question="A-01",
        )


def test_assignments_api_assign_and_clear(cast, as_api):
    a = assessment_at(cast, "sent")["assessment"]
    url = reverse("assessment-assignments", kwargs={"pk": a.pk})
    api = as_api(cast.supplier_owner)

    def post(body):
        return api.post(url, data=json.dumps(body), content_type="application/json")

    r = post({"assignee": cast.respondent.user.email, "question": "A-01"})
    assert r.status_code == 200
    assert r.json() == [{"section": "", "question": "A-01", "assignee": cast.respondent.user.email}]
    r = post({"assignee": "nobody@nowhere.test", "question": "A-01"})
    assert r.status_code == 400
    r = post({"assignee": None, "question": "A-01"})
    assert r.json() == []
    assert as_api(cast.ciso).get(url).status_code == 403
