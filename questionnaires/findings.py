"""Findings from a completed assessment (DESIGN §6.6), generated idempotently.

One finding per relationship and question code: a new round updates it instead of adding a
duplicate; a resolved (or accepted) finding stays closed unless the answer got worse.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict
from portal.core.notifications.services import notify, once
from suppliers.risk import appetite_for

from .models import Finding, FindingStatus, FindingUpdate

SEVERITY_ORDER = ("low", "medium", "high", "critical")
CLOSED = (FindingStatus.RESOLVED, FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN)


def finding_severity(question_severity: str, score: float, knockout: bool) -> str:
    """q = 0 → the question's severity; 0 < q < 1 → one step lower (not below low);
    a failed knock-out (q < 0.5) is at least high."""
    index = SEVERITY_ORDER.index(question_severity)
    if score > 0:
        index = max(0, index - 1)
    if knockout and score < 0.5:
        index = max(index, SEVERITY_ORDER.index("high"))
    return SEVERITY_ORDER[index]


def findings_generate(*, assessment, result, actor=None) -> list[Finding]:
    """Raise or refresh findings for every counted answer with q < 1 in `result`."""
    rel = assessment.relationship
    deadlines = appetite_for(rel.care_org)["finding_deadlines"]
    questions = {q.code: q for q in assessment.template.questions.all()}
    answers = {a.question.code: a for a in assessment.answers.select_related("question")}
    existing = {f.question_code: f for f in Finding.objects.filter(relationship=rel)}
    today = timezone.localdate()
    touched = []
    for r in result.questions:
        if r.score is None or r.excluded_because or r.score >= 1:
            continue
        q = questions[r.code]
        severity = finding_severity(q.severity, r.score, q.knockout)
        due = today + timedelta(days=deadlines[severity])
        f = existing.get(r.code)
        if f is None:
            f = Finding.objects.create(
                relationship=rel,
                assessment=assessment,
                answer=answers.get(r.code),
                question_code=r.code,
                severity=severity,
                title_nl=q.text_nl[:300],
                title_en=q.text_en[:300],
                advice_nl=q.advice_nl,
                advice_en=q.advice_en,
                score=r.score,
                knockout=q.knockout,
                owner=rel.owner,
                due_date=due,
            )
            audit_record(
                action="finding.raised",
                organisation=rel.care_org,
                actor=actor,
                obj=f,
                after={"code": r.code, "severity": severity, "due_date": due.isoformat()},
            )
            emit("finding.raised", finding=f, actor=actor)
        elif f.status in CLOSED and r.score >= f.score:
            continue  # closed and not worse: stays closed
        else:
            before = {"status": f.status, "severity": f.severity, "score": f.score}
            reopened = f.status in CLOSED
            f.assessment, f.answer, f.score, f.knockout = (
                assessment,
                answers.get(r.code),
                r.score,
                q.knockout,
            )
            if SEVERITY_ORDER.index(severity) > SEVERITY_ORDER.index(f.severity) or reopened:
                f.severity, f.due_date = severity, min(f.due_date, due) if not reopened else due
            if reopened:
                f.status = FindingStatus.OPEN
            f.save()
            audit_record(
                action="finding.reopened" if reopened else "finding.updated",
                organisation=rel.care_org,
                actor=actor,
                obj=f,
                before=before,
                after={"status": f.status, "severity": f.severity, "score": f.score},
            )
        touched.append(f)
    return touched


# -- remediation: the supplier plans and reports, the care organisation verifies and closes ----

LIVE = (FindingStatus.OPEN, FindingStatus.REMEDIATION_PLANNED)


def _locked(finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("relationship__care_org", "relationship__supplier", "owner")
        .get(pk=finding.pk)
    )


def _text(value: str, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text[:4000]


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def _tell_owner(f: Finding, subject, body, kind: str) -> None:

    owner = f.owner
    if owner is None or not owner.is_active:
        return
    notify(
        user=owner,
        organisation=f.relationship.care_org,
        render=lambda: (str(subject()), str(body())),
        url=reverse("finding_detail", args=[f.pk]),
        kind=kind,
    )


def _log(f: Finding, kind: str, text: str, actor, *, supplier: bool, planned=None, request=None):
    update = FindingUpdate.objects.create(
        finding=f, kind=kind, text=text, planned_date=planned, author=actor, from_supplier=supplier
    )
    audit_record(
        action=f"finding.{kind}",
        organisation=f.relationship.care_org,
        actor=actor,
        obj=f,
        after={
            "code": f.question_code,
            "status": f.status,
            "text": text,
            **({"planned_date": planned.isoformat()} if planned else {}),
        },
        request=request,
    )
    return update


@transaction.atomic
def finding_plan(*, finding, actor, plan: str, planned_date: date | None, request=None) -> Finding:
    """The supplier's remediation plan: what it will do and by when (open → planned)."""
    f = _locked(finding)
    if f.status not in LIVE:
        raise Conflict(_("This finding is closed; there is nothing left to plan."))
    text = _text(plan, "plan", _("Describe what you will do."))
    if planned_date is None or planned_date < timezone.localdate():
        raise ValidationError({"planned_date": _("Choose a planned date from today onwards.")})
    if planned_date > timezone.localdate() + timedelta(days=3 * 366):
        raise ValidationError({"planned_date": _("Plan within three years.")})
    f.plan, f.planned_date, f.status = text, planned_date, FindingStatus.REMEDIATION_PLANNED
    f.save(update_fields=["plan", "planned_date", "status", "updated_at"])
    _log(f, "plan", text, actor, supplier=True, planned=planned_date, request=request)
    emit("finding.plan_submitted", finding=f, actor=actor)
    return f


def finding_tell_owner_plan(*, finding: Finding, **_event) -> None:
    """The finding's owner at the care organisation hears of the supplier's plan."""
    f = finding
    _tell_owner(
        f,
        lambda: _("Remediation plan for %(code)s") % {"code": f.question_code},
        lambda: (
            _("%(supplier)s plans to resolve “%(title)s” by %(date)s:\n\n%(plan)s")
            % {
                "supplier": f.relationship.supplier.name,
                "title": f.title,
                "date": _day(f.planned_date),
                "plan": f.plan,
            }
        ),
        "finding.plan_submitted",
    )


@transaction.atomic
def finding_progress(*, finding, actor, text: str, request=None) -> Finding:
    """A progress update from the supplier on an open or planned finding."""
    f = _locked(finding)
    if f.status not in LIVE:
        raise Conflict(_("This finding is closed."))
    body = _text(text, "text", _("Write the update."))
    _log(f, "progress", body, actor, supplier=True, request=request)
    f.save(update_fields=["updated_at"])
    _tell_owner(
        f,
        lambda: _("Progress on %(code)s") % {"code": f.question_code},
        lambda: (
            _("%(supplier)s reports progress on “%(title)s”:\n\n%(text)s")
            % {"supplier": f.relationship.supplier.name, "title": f.title, "text": body}
        ),
        "finding.progress_reported",
    )
    return f


@transaction.atomic
def finding_comment(*, finding, actor, text: str, request=None) -> Finding:
    """A message from the care organisation to the supplier in the finding's thread."""
    f = _locked(finding)
    body = _text(text, "text", _("Write the message."))
    _log(f, "comment", body, actor, supplier=False, request=request)
    f.save(update_fields=["updated_at"])
    return f


@transaction.atomic
def finding_close(*, finding, actor, resolve: bool, text: str, request=None) -> Finding:
    """Verified and resolved, or withdrawn with a reason (care organisation)."""
    f = _locked(finding)
    if f.status not in LIVE:
        raise Conflict(_("This finding is already closed."))
    if resolve:
        body = _text(text, "text", _("Say how the remediation was verified."))
    else:
        body = _text(text, "text", _("A withdrawal needs a reason."))
    f.status = FindingStatus.RESOLVED if resolve else FindingStatus.WITHDRAWN
    f.closed_at = timezone.now()
    f.save(update_fields=["status", "closed_at", "updated_at"])
    _log(f, "resolved" if resolve else "withdrawn", body, actor, supplier=False, request=request)
    emit("finding.closed", finding=f, actor=actor)
    return f


def findings_notify_overdue(*, today: date) -> int:
    """Tell each owner once about every finding past its deadline that is still open."""

    sent = 0
    overdue = Finding.objects.filter(
        status__in=LIVE, due_date__lt=today, owner__isnull=False, owner__is_active=True
    ).select_related("relationship__care_org", "relationship__supplier", "owner")
    for f in overdue:
        if not f.owner.memberships.filter(
            organisation=f.relationship.care_org, is_active=True
        ).exists():
            continue
        if not once(f"finding-overdue:{f.pk}:{f.due_date.isoformat()}"):
            continue
        emit("finding.overdue", finding=f)
        Finding.objects.filter(pk=f.pk).update(overdue_notified_on=today)
        sent += 1
    return sent


PLAN_NOTICE_DAYS = 30


def findings_remind_plan_due(*, today: date) -> int:
    """A month before its deadline, a finding without a remediation plan reminds the supplier
    (the `finding.plan_due` event; once per finding and deadline)."""

    sent = 0
    waiting = Finding.objects.filter(
        status=FindingStatus.OPEN,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=PLAN_NOTICE_DAYS),
    ).select_related("relationship__care_org", "relationship__supplier")
    for f in waiting:
        with transaction.atomic():
            if not once(f"finding-plan-due:{f.pk}:{f.due_date.isoformat()}"):
                continue
            emit("finding.plan_due", finding=f)
        sent += 1
    return sent


def finding_tell_owner_overdue(*, finding: Finding, **_event) -> None:
    """The finding's owner hears that its deadline passed."""
    f = finding
    _tell_owner(
        f,
        lambda: _("Finding %(code)s is overdue") % {"code": f.question_code},
        lambda: (
            _(
                "The deadline of “%(title)s” (%(rel)s) was %(date)s and the finding is still "
                "open. Ask the supplier for its plan, propose a risk decision, or close it."
            )
            % {"title": f.title, "rel": f.relationship.name, "date": _day(f.due_date)}
        ),
        "finding.overdue",
    )
