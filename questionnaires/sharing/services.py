"""Writes for trust profiles: publish, choose the items and their visibility, request access,
grant/refuse/revoke, log a view or download, and start an assessment from a profile (a dated,
frozen copy of the answers, straight to review; what the profile does not cover goes to the
supplier as a short questionnaire)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict
from suppliers.models import SupplierDocument

from ..assessments.selectors import applicable_questions, visible_questions
from ..assessments.workflow import assessment_create, assessment_send_short
from ..models import Answer, Assessment, AssessmentStatus, LibraryAnswer
from .models import (
    SEEN_WITH_ACCESS,
    AccessStatus,
    ProfileAccess,
    ProfileDocument,
    ProfileLogEntry,
    TrustProfile,
    Visibility,
)
from .selectors import profile_answers

DEFAULT = ""  # an item follows the profile's visibility
EXCLUDED = "excluded"  # a document left out of the profile


def _audit(action, organisation, actor, obj, request=None, **after):
    audit_record(
        action=action, organisation=organisation, actor=actor, obj=obj, after=after, request=request
    )


def profile_publish(*, supplier, product, visibility, actor, terms="", request=None):
    if product.supplier_id != supplier.pk:
        raise ValidationError({"product": _("Unknown product.")})
    if visibility not in (Visibility.SUMMARY, Visibility.ON_REQUEST):
        raise ValidationError({"visibility": _("Choose summary or on request.")})
    profile, made = TrustProfile.objects.get_or_create(
        supplier=supplier, product=product, defaults={"visibility": visibility, "terms": terms}
    )
    if not made:
        if terms != profile.terms:
            profile.terms_version += 1
        profile.visibility, profile.terms = visibility, terms
        profile.save()
    _audit("profile.published", supplier, actor, profile, request, visibility=visibility)
    return profile


def profile_request_access(
    *, profile, care_org, actor, message="", accept_terms=False, request=None
):
    if profile.terms and not accept_terms:
        raise ValidationError({"accept_terms": _("Accept the confidentiality terms first.")})
    access, _made = ProfileAccess.objects.get_or_create(profile=profile, care_org=care_org)
    if access.status == AccessStatus.GRANTED:
        return access
    access.status, access.message, access.requested_by = AccessStatus.REQUESTED, message, actor
    if profile.terms:
        access.terms_accepted_version = profile.terms_version
        access.terms_accepted_at = timezone.now()
    access.save()
    _audit("profile.access_requested", care_org, actor, access, request, profile=profile.pk)
    return access


def _decide(access, status, allowed_from, action, actor, request):
    with transaction.atomic():
        access = ProfileAccess.objects.select_for_update().get(pk=access.pk)
        if access.status not in allowed_from:
            raise Conflict(_("This request cannot change that way any more."))
        access.status, access.decided_at = status, timezone.now()
        access.save(update_fields=["status", "decided_at"])
        supplier = access.profile.supplier
        _audit(action, supplier, actor, access, request, care_org=access.care_org_id)
    return access


def access_grant(*, access, actor, request=None):
    src = (AccessStatus.REQUESTED, AccessStatus.DENIED, AccessStatus.REVOKED)
    return _decide(access, AccessStatus.GRANTED, src, "profile.access_granted", actor, request)


def access_deny(*, access, actor, request=None):
    src = (AccessStatus.REQUESTED,)
    return _decide(access, AccessStatus.DENIED, src, "profile.access_refused", actor, request)


def access_revoke(*, access, actor, request=None):
    src = (AccessStatus.GRANTED,)
    return _decide(access, AccessStatus.REVOKED, src, "profile.access_revoked", actor, request)


ITEM_LEVELS = (DEFAULT, *Visibility.values)


def _checked_items(profile, answers: dict, documents: dict) -> tuple[dict, dict]:
    """The answer and document choices, validated (unknown items or levels: a 400)."""
    known = set(
        LibraryAnswer.objects.filter(
            supplier=profile.supplier, product=profile.product
        ).values_list("code", flat=True)
    )
    errors = []
    if set(answers) - known:
        unknown = ", ".join(sorted(set(answers) - known))[:200]
        errors.append(_("Unknown answer: %(codes)s.") % {"codes": unknown})
    owned = set(
        SupplierDocument.objects.filter(
            supplier=profile.supplier, pk__in=list(documents)
        ).values_list("pk", flat=True)
    )
    if set(documents) - owned:
        errors.append(_("Unknown document."))
    if any(v not in ITEM_LEVELS for v in answers.values()) or any(
        v not in (*ITEM_LEVELS, EXCLUDED) for v in documents.values()
    ):
        errors.append(_("Choose summary, on request or private."))
    if errors:
        raise ValidationError({"items": errors})
    return answers, documents


@transaction.atomic
def profile_items_set(*, profile, answers: dict, documents: dict, actor, request=None):
    """The owner's choice per item: `answers` maps question code → level ('' follows the
    profile), `documents` maps document id → level or 'excluded'. Items not named keep theirs."""
    answers, documents = _checked_items(profile, answers, documents)
    profile = TrustProfile.objects.select_for_update().get(pk=profile.pk)
    chosen = {**profile.answer_visibility, **answers}
    profile.answer_visibility = {code: level for code, level in chosen.items() if level}
    profile.save(update_fields=["answer_visibility", "updated_at"])
    for pk, level in documents.items():
        if level == EXCLUDED:
            ProfileDocument.objects.filter(profile=profile, document_id=pk).delete()
        else:
            ProfileDocument.objects.update_or_create(
                profile=profile, document_id=pk, defaults={"visibility": level}
            )
    _audit(
        "profile.items_changed",
        profile.supplier,
        actor,
        profile,
        request,
        answers=answers,
        documents={str(pk): level for pk, level in documents.items()},
    )
    return profile


def profile_log_view(*, profile, membership, action="viewed", detail=""):
    ProfileLogEntry.objects.create(
        profile=profile,
        care_org=membership.organisation,
        user=membership.user,
        action=action,
        detail=detail[:200],
    )


def _copy_answers(profile, assessment) -> None:
    """Copy the answers a care organisation with access may read (never a private one)."""
    entries = {e.code: e for e in profile_answers(profile, levels=SEEN_WITH_ACCESS)}
    for q in applicable_questions(assessment):
        entry = entries.get(q.code) or entries.get(getattr(q, "equivalent_code", "") or "")
        if entry is not None and q.answer_type != "file":
            Answer.objects.create(
                assessment=assessment,
                question=q,
                value=entry.value,
                explanation=entry.explanation,
                answered_at=entry.updated_at,
            )


def _follow_up(assessment, actor, request):
    """The template's questions the copy left open (and that its rules show) go to the supplier
    as a short questionnaire: the same template, asking only those codes. None if none."""
    copied = set(assessment.answers.values_list("question__code", flat=True))
    codes = [q.code for q, shown in visible_questions(assessment) if shown and q.code not in copied]
    if not codes:
        return None
    return assessment_send_short(source=assessment, codes=codes, actor=actor, request=request)


@transaction.atomic
def assessment_from_profile(*, profile, relationship, template, actor, request=None):
    """A frozen, dated copy of the profile's answers, in review at once (DESIGN §14); the
    questions it does not cover are sent to the supplier (`assessment.follow_up`)."""
    if relationship.supplier_id != profile.supplier_id:
        raise ValidationError({"relationship": _("This relationship is with another supplier.")})
    assessment = assessment_create(
        relationship=relationship, template=template, due_date=None, actor=actor, request=request
    )
    _copy_answers(profile, assessment)
    now = timezone.now()
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.IN_REVIEW,
        submitted_at=now,
        from_profile=profile,
        profile_copied_at=now,
    )
    assessment.refresh_from_db()
    ProfileLogEntry.objects.create(
        profile=profile, care_org=relationship.care_org, user=actor, action="copied"
    )
    _audit("profile.copied", relationship.care_org, actor, assessment, request, profile=profile.pk)
    assessment.follow_up = _follow_up(assessment, actor, request)
    return assessment


YEAR = timedelta(days=365)


def is_stale(answered_at, *, copied_at=None) -> bool:
    """Answers confirmed more than 12 months ago (before the copy, for a copy) are flagged."""
    return answered_at is not None and answered_at < (copied_at or timezone.now()) - YEAR
