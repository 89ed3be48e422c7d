"""Every hand-off reaches the person who must act next — exactly once, and nobody else
(another care organisation, another supplier, a colleague without the role)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.core.notifications.models import Delivery, Notification, NotificationPreference
from portal.top.daily import daily_run
from questionnaires import assessments as svc
from questionnaires.assignments import assignment_set
from questionnaires.decisions import decision_decide, decision_propose
from tests.access import assessment_at
from tests.conftest import client_for

EVERYONE = (
    "care_admin",
    "ciso",
    "procurement",
    "board",
    "viewer",
    "other_care_admin",
    "other_care_ciso",
    "supplier_owner",
    "respondent",
    "other_supplier_owner",
)


def _received(cast, kind: str) -> dict[str, int]:
    """Cast member name → notifications of `kind` they got (in any organisation)."""
    counts = {}
    for name in EVERYONE:
        n = Notification.objects.filter(user=cast.membership(name).user, kind=kind).count()
        if n:
            counts[name] = n
    return counts


@pytest.fixture(autouse=True)
def english(cast):
    """Everyone reads English here unless a test says otherwise (the default is Dutch)."""
    from portal.core.accounts.models import User

    User.objects.all().update(language="en")
    for name in EVERYONE:
        cast.membership(name).user.refresh_from_db()


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    """Run a service and then everything it queued after commit (the eager Celery tasks)."""

    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


def test_submission_tells_the_relationship_owner_and_the_security_officers_once(
    cast, run_after_commit
):
    a = assessment_at(cast, "in_progress")["assessment"]
    mail.outbox.clear()
    run_after_commit(svc.assessment_submit, assessment=a, actor=cast.respondent.user)
    # procurement created the relationship, so owns it; the CISO is the security officer
    assert _received(cast, "assessment.submitted") == {"procurement": 1, "ciso": 1}
    note = Notification.objects.get(user=cast.ciso.user, kind="assessment.submitted")
    assert note.organisation == cast.hospital
    assert "Leverancier B.V." in note.subject
    assert note.url == f"/assessments/{a.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["ciso@zh.test", "inkoop@zh.test"]


def test_resubmission_lists_which_reopened_answers_changed(cast, run_after_commit):
    a = assessment_at(cast, "clarification_requested")["assessment"]
    svc.answer_save(assessment=a, code="A-01", value="yes", actor=cast.supplier_owner.user)
    Notification.objects.all().delete()
    run_after_commit(svc.assessment_submit, assessment=a, actor=cast.supplier_owner.user)
    assert _received(cast, "assessment.submitted") == {"procurement": 1, "ciso": 1}
    note = Notification.objects.get(user=cast.ciso.user, kind="assessment.submitted")
    assert "answered your clarification questions" in note.subject
    assert "Changed since your clarification request:" in note.body
    assert "- A-01 " in note.body


def test_clarification_reaches_the_assignee_and_the_owner_with_the_message(cast, run_after_commit):
    a = assessment_at(cast, "in_progress")["assessment"]
    assignment_set(
        assessment=a, actor=cast.supplier_owner.user, assignee=cast.respondent.user, section="A"
    )
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    svc.answer_review(
        assessment=a,
        code="A-01",
        verdict="clarification",
        message="Welke versie van het beleid?",
        actor=cast.ciso.user,
    )
    run_after_commit(svc.assessment_request_clarification, assessment=a, actor=cast.ciso.user)
    assert _received(cast, "assessment.clarification_requested") == {
        "supplier_owner": 1,
        "respondent": 1,
    }
    note = Notification.objects.get(
        user=cast.respondent.user, kind="assessment.clarification_requested"
    )
    assert note.organisation == cast.supplier
    assert "Ziekenhuis Test" in note.body and "- A-01 " in note.body
    assert "“Welke versie van het beleid?”" in note.body


def test_completion_tells_the_supplier_owner_its_findings_without_scores(cast, run_after_commit):
    a = assessment_at(cast, "in_review")["assessment"]
    run_after_commit(svc.assessment_complete, assessment=a, actor=cast.ciso.user)
    assert _received(cast, "assessment.completed") == {"supplier_owner": 1}
    note = Notification.objects.get(kind="assessment.completed")
    a.refresh_from_db()
    finding = a.relationship.findings.get()
    assert finding.title in note.body
    assert note.url == "/findings/"
    text = (note.subject + note.body).lower()
    for internal in ("score", "weight", "knock", "tier", "risico", "risk", "intake"):
        assert internal not in text, internal
    assert str(a.control_score) not in note.body


def test_a_proposed_decision_reaches_the_board_and_the_decision_the_proposer(
    cast, run_after_commit
):
    a = assessment_at(cast, "in_review")["assessment"]
    svc.assessment_complete(assessment=a, actor=cast.ciso.user)
    finding = a.relationship.findings.get()
    d = run_after_commit(
        decision_propose,
        relationship=a.relationship,
        finding=finding,
        actor=cast.procurement.user,
        motivation="Compenserende maatregel",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    assert _received(cast, "decision.proposed") == {"board": 1}
    assert "Compenserende maatregel" in Notification.objects.get(kind="decision.proposed").body
    run_after_commit(decision_decide, decision=d, actor=cast.board.user, approve=True)
    # the proposer (procurement) and the security officer; not the board member who decided
    assert _received(cast, "decision.decided") == {"procurement": 1, "ciso": 1}


def test_daily_run_reminds_the_supplier_of_a_plan_and_of_an_overdue_finding_once(
    cast, run_after_commit
):
    import time_machine

    a = assessment_at(cast, "in_review")["assessment"]
    svc.assessment_complete(assessment=a, actor=cast.ciso.user)
    finding = a.relationship.findings.get()
    before = finding.due_date - timedelta(days=10)
    with time_machine.travel(before, tick=False):
        run_after_commit(daily_run, today=before)
        run_after_commit(daily_run, today=before)  # beat and cron: still once
    assert _received(cast, "finding.plan_due") == {"supplier_owner": 1}
    after = finding.due_date + timedelta(days=1)
    with time_machine.travel(after, tick=False):
        run_after_commit(daily_run, today=after)
        run_after_commit(daily_run, today=after)
    # the care owner of the finding (the relationship owner) and the supplier owner
    assert _received(cast, "finding.overdue") == {"procurement": 1, "supplier_owner": 1}


def test_every_mail_names_the_organisation_and_says_how_to_check_it_is_genuine(
    cast, run_after_commit
):
    cast.procurement.user.language = "nl"
    cast.procurement.user.save()
    a = assessment_at(cast, "in_progress")["assessment"]
    mail.outbox.clear()
    run_after_commit(svc.assessment_submit, assessment=a, actor=cast.respondent.user)
    by_to = {m.to[0]: m for m in mail.outbox}
    english, dutch = by_to["ciso@zh.test"].body, by_to["inkoop@zh.test"].body
    assert "never asks for your password by e-mail" in english
    assert "Ziekenhuis Test" in english and "http://127.0.0.1:8000/assessments/" in english
    assert "vraagt nooit om uw wachtwoord" in dutch
    assert "/notifications/settings/" in dutch


def test_a_daily_digest_replaces_the_immediate_mail_when_chosen(cast, run_after_commit):
    NotificationPreference.objects.create(
        user=cast.ciso.user, kind="assessment.submitted", delivery=Delivery.DIGEST
    )
    NotificationPreference.objects.create(
        user=cast.procurement.user, kind="assessment.submitted", delivery=Delivery.IN_APP
    )
    a = assessment_at(cast, "in_progress")["assessment"]
    mail.outbox.clear()
    run_after_commit(svc.assessment_submit, assessment=a, actor=cast.respondent.user)
    assert _received(cast, "assessment.submitted") == {"procurement": 1, "ciso": 1}
    assert mail.outbox == []  # both still see it in the portal, nobody is mailed at once
    today = timezone.localdate()
    run_after_commit(daily_run, today=today)
    run_after_commit(daily_run, today=today)
    digests = [m for m in mail.outbox if "daily summary" in m.subject]
    assert [m.to for m in digests] == [["ciso@zh.test"]]  # once, though the run ran twice
    assert "Leverancier B.V." in digests[0].body
    assert all("submitted" not in m.subject for m in mail.outbox if m not in digests)
    assert not Notification.objects.filter(delivery=Delivery.DIGEST, mailed_at__isnull=True)


def test_the_settings_page_stores_a_choice_per_kind_for_this_person_only(cast):
    client = client_for(cast.ciso)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    assert b'name="assessment.submitted"' in page.content
    assert b'name="assessment.clarification_requested"' not in page.content  # supplier kind
    r = client.post(
        "/notifications/settings/",
        {"assessment.submitted": "digest", "decision.decided": "in_app", "bogus": "digest"},
    )
    assert r.status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=cast.ciso.user).values_list("kind", "delivery")
    ) == {"assessment.submitted": "digest", "decision.decided": "in_app"}


def test_notifications_api_lists_kinds_and_marks_one_read(cast, as_api, run_after_commit):
    a = assessment_at(cast, "in_progress")["assessment"]
    run_after_commit(svc.assessment_submit, assessment=a, actor=cast.respondent.user)
    api = as_api(cast.ciso)
    listed = api.get("/api/v1/notifications/").json()
    assert listed["count"] == 1
    item = listed["results"][0]
    assert item["kind"] == "assessment.submitted" and item["read"] is False
    assert item["url"] == f"/assessments/{a.pk}/"
    read = api.post(f"/api/v1/notifications/{item['id']}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    # another person's notification is not there for them
    assert (
        as_api(cast.procurement).post(f"/api/v1/notifications/{item['id']}/read/").status_code
        == 404
    )
