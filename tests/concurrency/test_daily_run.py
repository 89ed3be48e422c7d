"""Celery beat firing twice (or beat next to cron): the daily run, started twice at the same
moment and then twice more one after the other, sends every reminder, e-mail and in-app
notification once and expires every risk decision once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from contracts.services import contract_save
from portal.core.audit.models import AuditEvent
from portal.core.notifications.models import Notification, SentMessage
from portal.top.daily import daily_run
from questionnaires import assessments as svc
from questionnaires.decisions import decision_decide, decision_propose, decisions_expire
from questionnaires.models import Assessment, DecisionStatus, Finding, RiskDecision
from suppliers.documents import document_save
from suppliers.models import Relationship
from tests.access import PDF, assessment_at

from .parallel import concurrent_db, run_together

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_db]


def _everything_due(cast, today):
    """One relationship with something due for every step of the daily run."""
    world = assessment_at(cast, "submitted")
    rel, first = world["relationship"], world["assessment"]
    svc.assessment_complete(assessment=first, actor=cast.ciso.user)  # raises finding A-01
    finding = Finding.objects.get(relationship=rel)
    decision = decision_propose(
        relationship=rel,
        finding=finding,
        actor=cast.ciso.user,
        motivation="Compenserende maatregel",
        expires_on=today + timedelta(days=90),
    )
    decision_decide(decision=decision, actor=cast.board.user, approve=True)
    RiskDecision.objects.filter(pk=decision.pk).update(expires_on=today)  # expires today
    Finding.objects.filter(pk=finding.pk).update(due_date=today - timedelta(days=1))
    for due in (today + timedelta(days=7), today - timedelta(days=8)):  # due7; overdue+escalation
        a = svc.assessment_create(
            relationship=rel, template=first.template, due_date=None, actor=cast.procurement.user
        )
        svc.assessment_send(assessment=a, actor=cast.procurement.user)
        Assessment.objects.filter(pk=a.pk).update(due_date=due)
    Relationship.objects.filter(pk=rel.pk).update(next_assessment_due=today + timedelta(days=10))
    contract_save(
        relationship=rel,
        actor=cast.procurement.user,
        reference="C-1",
        title="EPD-licentie",
        start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=60),
    )
    document_save(
        supplier=cast.supplier,
        actor=cast.supplier_owner.user,
        title="NEN 7510-certificaat",
        kind="nen7510",
        name="certificaat.pdf",
        data=PDF,
        valid_until=today + timedelta(days=14),
        offered=True,
    )
    Notification.objects.all().delete()  # keep only what the daily runs send
    mail.outbox.clear()
    return decision


def _sent():
    return Counter(
        (n.user_id, n.organisation_id, n.subject, n.url) for n in Notification.objects.all()
    )


def test_daily_run_twice_at_once_then_twice_more_sends_everything_once(cast):
    today = timezone.localdate()
    decision = _everything_due(cast, today)

    outcomes = run_together(lambda: daily_run(today=today), lambda: daily_run(today=today))

    assert [o.error for o in outcomes] == [None, None]
    counts = Counter()
    for o in outcomes:
        counts.update(o.value)
    # Every step had work, and between the two runs it was done exactly once.
    assert counts["decisions_expired"] == 1
    for step in (
        "contract_reminders",
        "certificate_reminders",
        "exit_test_reminders",
        "findings_overdue",
        "reassessments",
        "assessment_reminders",
    ):
        assert counts[step] >= 1, step
    sent = _sent()
    assert sent and max(sent.values()) == 1, "a notification went out twice"
    messages = sum(v for k, v in counts.items() if k != "decisions_expired")
    messages += counts["findings_overdue"]  # the supplier is told too (finding.overdue hand-off)
    assert sum(sent.values()) == messages == len(mail.outbox)
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == len(mail.outbox)
    # Reminder kinds of the two open assessments: due in 7 days, overdue, escalation.
    keys = set(
        SentMessage.objects.filter(key__startswith="assessment:").values_list("key", flat=True)
    )
    assert {k.rsplit(":", 1)[1] for k in keys} == {"due7", "overdue", "escalation"}
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.EXPIRED
    assert (
        AuditEvent.objects.filter(action="decision.expired", object_id=str(decision.pk)).count()
        == 1
    )

    for _ in range(2):  # beat and cron later that day
        again = daily_run(today=today)
        assert set(again.values()) == {0}
    assert _sent() == sent and len(mail.outbox) == messages


def test_parallel_expiry_runs_expire_each_decision_once(cast):
    """The expiry step alone, many decisions, two runs in lockstep: each is claimed once."""
    today = timezone.localdate()
    world = assessment_at(cast, "submitted")
    rel = world["relationship"]
    svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)
    decisions = []
    for i in range(12):
        d = decision_propose(
            relationship=rel,
            actor=cast.ciso.user,
            motivation=f"Restrisico geaccepteerd ({i})",
            expires_on=today + timedelta(days=30),
        )
        decision_decide(decision=d, actor=cast.board.user, approve=True)
        decisions.append(d)
    RiskDecision.objects.filter(pk__in=[d.pk for d in decisions]).update(expires_on=today)

    outcomes = run_together(
        lambda: decisions_expire(today=today), lambda: decisions_expire(today=today)
    )

    assert [o.error for o in outcomes] == [None, None]
    assert sum(o.value for o in outcomes) == len(decisions)
    assert set(RiskDecision.objects.filter(relationship=rel).values_list("status", flat=True)) == {
        DecisionStatus.EXPIRED
    }
    expired = Counter(
        AuditEvent.objects.filter(action="decision.expired").values_list("object_id", flat=True)
    )
    assert expired == Counter({str(d.pk): 1 for d in decisions})
