"""Findings from a completed assessment (DESIGN §6.6), generated idempotently.

One finding per relationship and question code: a new round updates it instead of adding a
duplicate; a resolved (or accepted) finding stays closed unless the answer got worse.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.core.audit.services import audit_record

from .models import Finding, FindingStatus

SEVERITY_ORDER = ("low", "medium", "high", "critical")
DEFAULT_DEADLINE_DAYS = {"critical": 30, "high": 90, "medium": 180, "low": 365}
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
    appetite = rel.care_org.settings.get("risk_appetite") or {}
    deadlines = {**DEFAULT_DEADLINE_DAYS, **appetite.get("finding_deadlines", {})}
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
