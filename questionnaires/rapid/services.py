"""Writes for rapid questionnaires: find every live relationship behind a fourth party, a
product or a selection, and send the shipped `ketenincident` questionnaire to all of them in
one background job; notice when every supplier answered; remind after 24 hours, once."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict
from portal.core.jobs.models import Job, JobStatus
from portal.core.notifications.services import once
from suppliers import reach
from suppliers.models import Product, Relationship

from ..assessments import assessment_create, assessment_send
from ..models import (
    OPEN_FOR_SUPPLIER,
    Assessment,
    QuestionnaireTemplate,
    RapidAssessment,
    RapidStatus,
    RapidTarget,
    TemplateStatus,
)
from ..services import BANKS_DIR, template_import
from ..yaml_io import parse_questionnaire
from .notices import notify_rapid_reminder

KEY = "ketenincident"
ANSWERED = ("submitted", "in_review", "clarification_requested", "completed")
JOB_KIND = "rapid_assessment"


def ketenincident_template() -> QuestionnaireTemplate:
    """The newest published shipped `ketenincident` questionnaire (imported once if missing)."""
    found = (
        QuestionnaireTemplate.objects.filter(
            key=KEY, owner__isnull=True, status=TemplateStatus.PUBLISHED
        )
        .order_by("-version")
        .first()
    )
    if found is not None:
        return found
    data = parse_questionnaire((BANKS_DIR / f"{KEY}.yaml").read_bytes())
    return template_import(data=data, publish=True)


def resolve_targets(*, care_org, fourth_party="", product=None, relationships=()) -> tuple:
    """(target kind, label, relationship ids) for one of the three ways to pick."""
    if fourth_party and str(fourth_party).strip():
        name = str(fourth_party).strip()[:200]
        ids = reach.relationship_ids_behind_fourth_party(care_org=care_org, name=name)
        return RapidTarget.FOURTH_PARTY, name, ids
    if product not in (None, ""):
        item = Product.objects.filter(pk=product if str(product).isdecimal() else None).first()
        ids = (
            reach.relationship_ids_behind_product(care_org=care_org, product_id=item.pk)
            if item
            else []
        )
        if not ids:
            raise ValidationError({"product": _("No live relationship of yours covers it.")})
        return RapidTarget.PRODUCT, f"{item.name} ({item.supplier.name})"[:200], ids
    ids = reach.relationship_ids_chosen(care_org=care_org, ids=relationships or ())
    return RapidTarget.SELECTION, _("%(n)s chosen relationships") % {"n": len(ids)}, ids


@transaction.atomic
def rapid_assessment_start(
    *,
    care_org,
    actor,
    fourth_party: str = "",
    product=None,
    relationships=(),
    due_date: date | None = None,
    target: str | None = None,
    label: str | None = None,
    request=None,
) -> RapidAssessment:
    """Record the round and queue ONE job that sends to every relationship found."""
    kind, found_label, ids = resolve_targets(
        care_org=care_org, fourth_party=fourth_party, product=product, relationships=relationships
    )
    if not ids:
        raise ValidationError(
            {"relationships": _("No live relationship was found behind what you chose.")}
        )
    due = due_date or timezone.localdate() + timedelta(days=3)
    if due < timezone.localdate():
        raise ValidationError({"due_date": _("The due date lies in the past.")})
    template = ketenincident_template()
    job = Job.objects.create(
        organisation=care_org,
        user=actor,
        kind=JOB_KIND,
        params={"relationships": ids, "due_date": due.isoformat(), "template": template.pk},
        total=len(ids),
    )
    rapid = RapidAssessment.objects.create(
        care_org=care_org,
        target=target or kind,
        label=(label or found_label)[:200],
        due_date=due,
        job=job,
        created_by=actor,
    )
    rapid.relationships.set(ids)
    job.params = {**job.params, "rapid": rapid.pk}
    job.save(update_fields=["params"])
    audit_record(
        action="rapid_assessment.started",
        organisation=care_org,
        actor=actor,
        obj=rapid,
        after={"about": rapid.label, "target": rapid.target, "relationships": len(ids)},
        request=request,
    )
    transaction.on_commit(lambda: _queue(job.pk))
    return rapid


def rapid_assessment_confirm(
    *,
    care_org,
    actor,
    fourth_party: str,
    relationships,
    due_date: date | None = None,
    request=None,
) -> RapidAssessment:
    """After the preview: send to the relationships the person ticked, each of which must be
    among those the (loose) fourth-party match found; the round is about that fourth party."""
    name = str(fourth_party or "").strip()[:200]
    found = {b.relationship_id for b in reach.fourth_party_candidates(care_org=care_org, name=name)}
    chosen = {int(x) for x in relationships if str(x).isdecimal()}
    if not name or not chosen & found:
        raise ValidationError(
            {"relationships": _("Confirm at least one of the matched relationships.")}
        )
    if chosen - found:
        raise ValidationError(
            {"relationships": _("Only relationships the fourth party matched can be confirmed.")}
        )
    return rapid_assessment_start(
        care_org=care_org,
        actor=actor,
        relationships=sorted(chosen),
        due_date=due_date,
        target=RapidTarget.FOURTH_PARTY,
        label=name,
        request=request,
    )


def _queue(job_id: int) -> None:
    # imported here: questionnaires.tasks imports this module (a real cycle)
    from ..tasks import rapid_send  # noqa: PLC0415 - tasks.py imports this module

    rapid_send.delay(job_id)


def rapid_send_run(*, job: Job) -> None:
    """The job: create and send an assessment for every relationship not handled yet
    (retry-safe), with progress after each."""
    rapid = RapidAssessment.objects.get(pk=job.params["rapid"])
    template = QuestionnaireTemplate.objects.get(pk=job.params["template"])
    due = date.fromisoformat(job.params["due_date"])
    result = {"handled": list(job.result.get("handled", [])), "errors": []}
    result["errors"] = list(job.result.get("errors", []))
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    todo = Relationship.objects.filter(
        care_org=job.organisation, pk__in=job.params["relationships"]
    ).exclude(pk__in=result["handled"])
    for rel in todo.select_related("care_org", "supplier"):
        try:
            with transaction.atomic():
                a = assessment_create(
                    relationship=rel, template=template, due_date=due, actor=job.user
                )
                assessment_send(assessment=a, actor=job.user)
                rapid.assessments.add(a)
        except (ValidationError, Conflict) as exc:
            result["errors"].append(f"{rel.name}: {' '.join(getattr(exc, 'messages', [exc]))}")
        result["handled"].append(rel.pk)
        job.done, job.result = len(result["handled"]), result
        job.save(update_fields=["done", "result"])
    RapidAssessment.objects.filter(pk=rapid.pk, status=RapidStatus.SENDING).update(
        status=RapidStatus.OPEN
    )
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at"])


def rapid_check_completed(*, assessment: Assessment, **_event) -> int:
    """On a submission: a round whose every supplier has answered is completed (once)."""
    done = 0
    for rapid in RapidAssessment.objects.filter(
        assessments=assessment, status=RapidStatus.OPEN
    ).select_for_update():
        if rapid.assessments.exclude(status__in=ANSWERED).exists():
            continue
        if rapid.assessments.count() < rapid.relationships.count():
            continue
        rapid.status, rapid.completed_at = RapidStatus.COMPLETED, timezone.now()
        rapid.save(update_fields=["status", "completed_at"])
        emit("rapid_assessment.completed", rapid=rapid)
        done += 1
    return done


def rapid_remind(*, today) -> int:
    """The daily run: suppliers that have not answered a rapid questionnaire 24 hours after it
    was sent get one reminder each (however often the run runs)."""
    cutoff = timezone.now() - timedelta(hours=24)
    sent = 0
    waiting = Assessment.objects.filter(
        rapid_rounds__status=RapidStatus.OPEN,
        status__in=OPEN_FOR_SUPPLIER,
        sent_at__lte=cutoff,
    ).select_related("relationship__supplier", "relationship__care_org")
    for assessment in waiting.distinct():
        if once(f"rapid-reminder:{assessment.pk}"):
            sent += notify_rapid_reminder(assessment=assessment)
    return sent
