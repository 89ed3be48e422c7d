"""Findings after completion (DESIGN §7): the supplier plans and reports, the care organisation
verifies and resolves or withdraws; overdue findings notify their owner."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict
from portal.core.notifications.models import Notification
from questionnaires import findings as svc
from questionnaires.models import Finding, FindingUpdate
from tests.access import _finding
from tests.conftest import client_for


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_plan_progress_resolve_through_the_api(cast, as_api):
    f = _finding(cast)["finding"]
    planned = timezone.localdate() + timedelta(days=40)
    r = _post(
        as_api(cast.respondent),
        reverse("finding-plan", kwargs={"pk": f.pk}),
        {"plan": "MFA voor alle beheerders", "planned_date": planned.isoformat()},
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["planned_date"]) == (
        "remediation_planned",
        planned.isoformat(),
    )
    r = _post(
        as_api(cast.supplier_owner),
        reverse("finding-progress", kwargs={"pk": f.pk}),
        {"text": "Uitgerold bij 80% van de beheerders"},
    )
    assert [u["kind"] for u in r.json()["updates"]] == ["plan", "progress"]
    # The owner (procurement, the relationship owner) heard about both.
    assert Notification.objects.filter(user=cast.procurement.user).count() == 2
    # A supplier cannot close its own finding; a care org member cannot plan for it.
    assert (
        _post(
            as_api(cast.supplier_owner),
            reverse("finding-resolve", kwargs={"pk": f.pk}),
            {"text": "x"},
        ).status_code
        == 403
    )
    assert (
        _post(
            as_api(cast.ciso),
            reverse("finding-plan", kwargs={"pk": f.pk}),
            {"plan": "x", "planned_date": planned.isoformat()},
        ).status_code
        == 403
    )
    r = _post(
        as_api(cast.ciso),
        reverse("finding-resolve", kwargs={"pk": f.pk}),
        {"text": "Gecontroleerd met een export van de MFA-registraties"},
    )
    assert r.json()["status"] == "resolved" and r.json()["closed_at"]
    # Closed: a second resolve and further progress are refused and change nothing.
    assert (
        _post(
            as_api(cast.ciso), reverse("finding-resolve", kwargs={"pk": f.pk}), {"text": "nog eens"}
        ).status_code
        == 409
    )
    assert (
        _post(
            as_api(cast.respondent),
            reverse("finding-progress", kwargs={"pk": f.pk}),
            {"text": "nog meer"},
        ).status_code
        == 409
    )
    assert FindingUpdate.objects.filter(finding=f).count() == 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"finding.plan", "finding.progress", "finding.resolved"} <= actions


def test_withdraw_needs_a_reason_and_bad_plans_are_refused(cast):
    f = _finding(cast)["finding"]
    with pytest.raises(ValidationError):
        svc.finding_close(finding=f, actor=cast.ciso.user, resolve=False, text="  ")
    with pytest.raises(ValidationError):
        svc.finding_plan(
            finding=f,
            actor=cast.supplier_owner.user,
            plan="x",
            planned_date=timezone.localdate() - timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        svc.finding_plan(
            finding=f, actor=cast.supplier_owner.user, plan="", planned_date=timezone.localdate()
        )
    f.refresh_from_db()
    assert (f.status, f.plan, f.updates.count()) == ("open", "", 0)
    svc.finding_close(finding=f, actor=cast.ciso.user, resolve=False, text="Dubbel met A-02")
    f.refresh_from_db()
    assert f.status == "withdrawn"
    with pytest.raises(Conflict):
        svc.finding_plan(
            finding=f, actor=cast.supplier_owner.user, plan="x", planned_date=timezone.localdate()
        )


def test_supplier_pages_show_the_thread_but_no_decisions(cast):
    world = _finding(cast)
    f = world["finding"]
    supplier = client_for(cast.respondent)
    page = supplier.get(reverse("finding_list")).content.decode()
    assert "Ziekenhuis Test" in page and f.question_code in page
    r = supplier.post(
        reverse("finding_respond", kwargs={"pk": f.pk}),
        {
            "kind": "plan",
            "text": "Wij voeren MFA in",
            "planned_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.status == "remediation_planned"
    # A missing date: a clear message, nothing stored.
    r = supplier.post(
        reverse("finding_respond", kwargs={"pk": f.pk}),
        {"kind": "plan", "text": "Ander plan", "planned_date": ""},
        follow=True,
    )
    assert "Choose a planned date from today onwards." in r.content.decode()
    f.refresh_from_db()
    assert f.plan == "Wij voeren MFA in"
    page = supplier.get(reverse("finding_detail", kwargs={"pk": f.pk})).content.decode()
    assert "Wij voeren MFA in" in page
    assert "Risk decisions" not in page and "Owner" not in page
    care = client_for(cast.ciso).get(reverse("finding_detail", kwargs={"pk": f.pk}))
    assert "Risk decisions" in care.content.decode()


def test_care_closes_from_the_page(cast):
    f = _finding(cast)["finding"]
    ciso = client_for(cast.ciso)
    ciso.post(
        reverse("finding_close", kwargs={"pk": f.pk}), {"action": "comment", "text": "Graag bewijs"}
    )
    r = ciso.post(
        reverse("finding_close", kwargs={"pk": f.pk}),
        {"action": "withdraw", "text": ""},
        follow=True,
    )
    assert "A withdrawal needs a reason." in r.content.decode()
    assert Finding.objects.get(pk=f.pk).status == "open"
    ciso.post(
        reverse("finding_close", kwargs={"pk": f.pk}),
        {"action": "resolve", "text": "Gezien in de audit"},
    )
    f.refresh_from_db()
    assert f.status == "resolved"
    assert [u.kind for u in f.updates.all()] == ["comment", "resolved"]
    # The list filters: the resolved finding is not live, but shows under its own status.
    assert f.question_code not in _rows(ciso.get(reverse("finding_list")))
    assert f.question_code in _rows(ciso.get(reverse("finding_list") + "?status=resolved"))


def _rows(response) -> str:
    page = response.content.decode()
    return page[page.find("<tbody>") :] if "<tbody>" in page else ""


def test_overdue_findings_notify_the_owner_once(cast):
    f = _finding(cast)["finding"]
    today = timezone.localdate()
    assert svc.findings_notify_overdue(today=today) == 0  # not yet overdue
    later = f.due_date + timedelta(days=1)
    assert svc.findings_notify_overdue(today=later) == 1
    assert svc.findings_notify_overdue(today=later) == 0  # beat firing twice: one message
    note = Notification.objects.get(user=cast.procurement.user)
    assert note.subject == "Bevinding A-01 is over de termijn"  # the owner's language: Dutch
    f.refresh_from_db()
    assert f.overdue_notified_on == later
    svc.finding_close(finding=f, actor=cast.ciso.user, resolve=True, text="ok")
    Finding.objects.filter(pk=f.pk).update(due_date=today - timedelta(days=5))
    assert svc.findings_notify_overdue(today=today) == 0  # closed findings stay quiet


def test_finding_list_queries_do_not_grow(cast, django_assert_max_num_queries):
    _finding(cast)
    client = client_for(cast.ciso)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("finding_list")).status_code == 200


def test_daily_run_with_frozen_time_expires_decisions_and_reports_overdue(cast):
    """The beat task at a frozen date a year on: the acceptance expires, the finding reopens,
    its owner hears it is overdue; running the same day again sends nothing new."""
    import time_machine

    from portal.top.daily.tasks import daily as send_reminders
    from questionnaires.decisions import decision_decide, decision_propose
    from questionnaires.models import RiskDecision

    f = _finding(cast)["finding"]
    d = decision_propose(
        relationship=f.relationship,
        finding=f,
        actor=cast.ciso.user,
        motivation="Tijdelijk",
        expires_on=timezone.localdate() + timedelta(days=100),
    )
    decision_decide(decision=d, actor=cast.board.user, approve=True)
    f.refresh_from_db()
    assert f.status == "accepted"
    with time_machine.travel(timezone.now() + timedelta(days=99), tick=False):
        send_reminders()
        assert RiskDecision.objects.get(pk=d.pk).status == "approved"
    with time_machine.travel(timezone.now() + timedelta(days=101), tick=False):
        send_reminders()
        send_reminders()
    assert RiskDecision.objects.get(pk=d.pk).status == "expired"
    f.refresh_from_db()
    assert f.status == "open"  # its deadline (90 days) has passed as well
    subjects = list(
        Notification.objects.filter(user=cast.procurement.user).values_list("subject", flat=True)
    )
    assert subjects.count("Bevinding A-01 is over de termijn") == 1
