"""Writes for trust profiles: publish, request access, grant/refuse/revoke, log a view, and
start an assessment from a profile (a dated, frozen copy of the answers, straight to review)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict

from ..assessments.selectors import applicable_questions
from ..assessments.workflow import assessment_create
from ..models import Answer, Assessment, AssessmentStatus, LibraryAnswer
from .models import AccessStatus, ProfileAccess, ProfileLogEntry, TrustProfile, Visibility


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


def profile_log_view(*, profile, membership, action="viewed"):
    ProfileLogEntry.objects.create(
        profile=profile, care_org=membership.organisation, user=membership.user, action=action
    )


def _entries(profile):
    return {
        e.code: e
        for e in LibraryAnswer.objects.filter(supplier=profile.supplier, product=profile.product)
        if e.code not in profile.private_codes
    }


@transaction.atomic
def assessment_from_profile(*, profile, relationship, template, actor, request=None):
    """A frozen, dated copy of the profile's answers, in review at once (DESIGN §14)."""
    if relationship.supplier_id != profile.supplier_id:
        raise ValidationError({"relationship": _("This relationship is with another supplier.")})
    assessment = assessment_create(
        relationship=relationship, template=template, due_date=None, actor=actor, request=request
    )
    entries, now = _entries(profile), timezone.now()
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
    return assessment


def is_stale(answered_at) -> bool:
    """Answers confirmed more than 12 months ago are flagged."""
    return answered_at is not None and answered_at < timezone.now() - timedelta(days=365)
