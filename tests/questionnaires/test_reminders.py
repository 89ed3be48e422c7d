"""Reminders with frozen time: each one exactly once, in the recipient's language."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.core.management import call_command

from portal.core.notifications.models import Notification
from questionnaires.reminders import send_assessment_reminders
from tests.access import assessment_at


def _run(day, capture):
    with capture(execute=True):
        return send_assessment_reminders(today=day)


def test_due_overdue_and_escalation_once_each(cast, django_capture_on_commit_callbacks):
    a = assessment_at(cast, "sent")["assessment"]
    due = a.due_date
    # Supplier has two members (owner, respondent); the care owner is the procurement officer.
    assert _run(due - timedelta(days=10), django_capture_on_commit_callbacks) == 0
    assert _run(due - timedelta(days=7), django_capture_on_commit_callbacks) == 2
    assert (
        _run(due - timedelta(days=7), django_capture_on_commit_callbacks) == 0
    )  # beat fired twice
    assert (
        _run(due - timedelta(days=6), django_capture_on_commit_callbacks) == 0
    )  # already reminded
    assert _run(due - timedelta(days=2), django_capture_on_commit_callbacks) == 2
    assert (
        _run(due + timedelta(days=1), django_capture_on_commit_callbacks) == 3
    )  # supplier ×2 + owner
    assert (
        _run(due + timedelta(days=8), django_capture_on_commit_callbacks) == 1
    )  # escalation to the owner
    assert _run(due + timedelta(days=9), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 8
    owner_notes = Notification.objects.filter(user=cast.procurement.user).values_list(
        "subject", flat=True
    )
    assert any("Escalat" in s or "Escalatie" in s for s in owner_notes)


def test_language_of_the_recipient(cast, django_capture_on_commit_callbacks):
    a = assessment_at(cast, "sent")["assessment"]
    cast.respondent.user.language = "en"
    cast.respondent.user.save()
    _run(a.due_date - timedelta(days=7), django_capture_on_commit_callbacks)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Reminder" in subjects["respondent@lev.test"]
    assert "Herinnering" in subjects["eigenaar@lev.test"]


def test_completed_assessment_gets_no_reminders(cast, django_capture_on_commit_callbacks):
    from questionnaires import assessments as svc

    a = assessment_at(cast, "submitted")["assessment"]
    svc.assessment_complete(assessment=a, actor=cast.ciso.user)
    assert _run(a.due_date + timedelta(days=3), django_capture_on_commit_callbacks) == 0


def test_send_reminders_command_uses_today(cast, capsys):
    a = assessment_at(cast, "sent")["assessment"]
    with time_machine.travel(a.due_date - timedelta(days=7), tick=False):
        call_command("send_reminders")
    assert "Sent 2 reminder(s)." in capsys.readouterr().out
