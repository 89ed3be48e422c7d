"""Requesting and producing reports: the request is checked and queued; a Celery task (inline
in eager mode) builds the PDF, reports progress, and stores it privately."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.exports import checklist_pdf, exit_note_pdf
from contracts.models import ChecklistItem
from portal.core.accounts.models import Membership
from portal.core.audit.services import audit_record
from portal.core.dbrouter import reading_for_reports
from portal.core.faults import fault_pause
from portal.core.permissions import has_perm
from portal.core.tenancy import visible_to
from questionnaires.models import Assessment
from suppliers.models import Relationship

from .builders import assessment_report, portfolio_report
from .models import Report, ReportKind, ReportStatus


def _target(membership, kind: str, params: dict):
    """The object the report is about, visible to `membership` (ValidationError otherwise)."""

    if kind == ReportKind.ASSESSMENT:
        a = visible_to(Assessment, membership).filter(pk=params.get("assessment")).first()
        if a is None or membership.organisation.kind != "care":
            raise Http404(_("Unknown assessment."))
        if a.status != "completed":
            raise ValidationError({"assessment": _("Only a completed assessment has a report.")})
        return a, a.relationship.name
    if kind in (ReportKind.CLAUSES, ReportKind.EXIT_NOTE):
        rel = visible_to(Relationship, membership).filter(pk=params.get("relationship")).first()
        if rel is None:
            raise Http404(_("Unknown relationship."))
        if kind == ReportKind.EXIT_NOTE and not hasattr(rel, "exit_note"):
            raise ValidationError({"relationship": _("This relationship has no exit note yet.")})
        return rel, rel.name
    if kind == ReportKind.PORTFOLIO:
        return membership.organisation, membership.organisation.name
    raise ValidationError({"kind": _("Unknown kind of report.")})


@transaction.atomic
def report_request(*, membership, kind: str, params: dict, language: str = "nl") -> Report:
    if not has_perm(membership, "reports.request"):
        raise ValidationError(_("Your role cannot request reports."))
    _obj, name = _target(membership, kind, params or {})
    report = Report.objects.create(
        organisation=membership.organisation,
        user=membership.user,
        kind=kind,
        params={k: v for k, v in (params or {}).items() if k in ("assessment", "relationship")},
        language="en" if language.startswith("en") else "nl",
        title=f"{ReportKind(kind).label} — {name}"[:200],
    )
    audit_record(
        action="report.requested",
        organisation=membership.organisation,
        actor=membership.user,
        obj=report,
        after={"kind": kind, "params": report.params},
    )
    from .tasks import generate_report  # noqa: PLC0415 - tasks.py imports this module

    transaction.on_commit(lambda: generate_report.delay(report.pk))
    return report


def _unfinished(report: Report):
    """The report's row while it is unfinished: a delivery of the task that runs in parallel
    with one that already finished never turns the finished report back."""
    return Report.objects.filter(
        pk=report.pk, status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)
    )


def _build(report: Report, obj) -> bytes:
    """The PDF's bytes. Its reads go to the read replica when there is one (DESIGN §16): what the
    report is about was checked on the primary just before."""

    lang = report.language
    with reading_for_reports():
        if report.kind == ReportKind.ASSESSMENT:
            return assessment_report(obj, lang)
        if report.kind == ReportKind.CLAUSES:
            items = list(
                ChecklistItem.objects.filter(relationship=obj)
                .select_related("clause", "contract")
                .order_by("-triggered", "clause__order")
            )
            return checklist_pdf(obj, items, lang)
        if report.kind == ReportKind.EXIT_NOTE:
            return exit_note_pdf(obj, obj.exit_note, lang)
        last = (
            Report.objects.filter(
                organisation=report.organisation, kind=ReportKind.PORTFOLIO, status="done"
            )
            .exclude(pk=report.pk)
            .order_by("-finished_at")
            .first()
        )
        return portfolio_report(obj, since=last.finished_at.date() if last else None, lang=lang)


def report_run(report: Report) -> Report:
    """Build the PDF. Idempotent: a finished report is left alone; a retried one starts over
    and is only marked done once its file is stored (no half-written result is ever served)."""
    if report.is_finished:
        return report

    if not _unfinished(report).update(status=ReportStatus.RUNNING, progress=10):
        return Report.objects.get(pk=report.pk)
    membership = Membership.objects.filter(
        user=report.user, organisation=report.organisation, is_active=True
    ).first()
    try:
        if membership is None:
            raise ValidationError(_("You are no longer a member of this organisation."))
        obj, _name = _target(membership, report.kind, report.params)
        _unfinished(report).update(progress=40)
        fault_pause("reports.build")
        data = _build(report, obj)
        _unfinished(report).update(progress=80)
        with transaction.atomic():
            fresh = Report.objects.select_for_update().get(pk=report.pk)
            if fresh.is_finished:  # a second delivery of the task finished first: keep its file
                return fresh
            fresh.file.save("report.pdf", ContentFile(data), save=False)
            fresh.size, fresh.status, fresh.progress = len(data), ReportStatus.DONE, 100
            fresh.finished_at = timezone.now()
            fresh.save()
        return fresh
    except ValidationError as exc:
        _unfinished(report).update(
            status=ReportStatus.FAILED,
            error=" ".join(exc.messages)[:300],
            finished_at=timezone.now(),
        )
        return Report.objects.get(pk=report.pk)
