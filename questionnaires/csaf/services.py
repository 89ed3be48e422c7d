"""Writes for CSAF advisories: store a validated advisory with its matches (uploaded or from a
feed), then — only when a person confirms — send the rapid questionnaire to the confirmed
relationships in one step, or dismiss it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict

from ..models import RapidTarget
from ..rapid.services import rapid_assessment_start
from .matching import match_products
from .models import Advisory, AdvisoryMatch, AdvisoryStatus, Source
from .parsing import ParsedAdvisory, parse


def _store(*, care_org, parsed: ParsedAdvisory, matches, actor=None, **extra) -> Advisory:
    advisory = Advisory.objects.create(
        care_org=care_org,
        title=parsed.title,
        tracking_id=parsed.tracking_id,
        publisher=parsed.publisher,
        release_date=parsed.release_date,
        document=parsed.document,
        products=[p.as_dict() for p in parsed.products],
        created_by=actor,
        **extra,
    )
    AdvisoryMatch.objects.bulk_create(
        AdvisoryMatch(
            advisory=advisory,
            relationship_id=m.relationship_id,
            product_id=m.product_id,
            fourth_party=m.fourth_party[:200],
            reason=m.reason,
            named=m.named,
        )
        for m in matches
    )
    return advisory


@transaction.atomic
def advisory_upload(*, care_org, actor, raw: bytes | str, request=None) -> Advisory:
    """Validate (raises CsafInvalid), match and store an advisory a person uploaded or posted;
    nothing is sent yet."""
    parsed = parse(raw)
    matches = match_products(care_org=care_org, products=[p.as_dict() for p in parsed.products])
    advisory = _store(
        care_org=care_org, parsed=parsed, matches=matches, actor=actor, source=Source.UPLOAD
    )
    audit_record(
        action="csaf.advisory_added",
        organisation=care_org,
        actor=actor,
        obj=advisory,
        after={"tracking_id": advisory.tracking_id, "matches": len(matches)},
        request=request,
    )
    return advisory


@transaction.atomic
def advisory_propose(*, care_org, parsed: ParsedAdvisory, provider, url: str) -> Advisory | None:
    """From a feed: store the advisory for this organisation only when it reaches something
    not proposed before under the same tracking ID; returns None otherwise."""
    matches = match_products(care_org=care_org, products=[p.as_dict() for p in parsed.products])
    known = set(
        AdvisoryMatch.objects.filter(
            advisory__care_org=care_org, advisory__tracking_id=parsed.tracking_id
        ).values_list("relationship_id", "product_id", "fourth_party")
    )
    new = [m for m in matches if (m.relationship_id, m.product_id, m.fourth_party) not in known]
    if not new:
        return None
    advisory = _store(
        care_org=care_org,
        parsed=parsed,
        matches=new,
        source=Source.FEED,
        provider=provider,
        url=url[:1000],
    )
    audit_record(
        action="csaf.advisory_proposed",
        organisation=care_org,
        obj=advisory,
        after={"tracking_id": advisory.tracking_id, "matches": len(new), "url": url[:300]},
        actor_label=provider.name,
    )
    emit("advisory.proposed", advisory=advisory)
    return advisory


def _open(advisory: Advisory) -> None:
    if advisory.status != AdvisoryStatus.PROPOSED:
        raise Conflict(_("This advisory has already been handled."))


@transaction.atomic
def advisory_send(
    *, advisory: Advisory, actor, relationships, due_date: date | None = None, request=None
):
    """The person confirms which matched relationships are concerned; the rapid questionnaire
    goes to exactly those, as one background job. Returns the rapid round."""
    advisory = Advisory.objects.select_for_update().get(pk=advisory.pk)
    _open(advisory)
    chosen = {int(x) for x in relationships if str(x).isdecimal()}
    matched = set(advisory.matches.values_list("relationship_id", flat=True))
    ids = sorted(chosen & matched)
    if not ids:
        raise ValidationError(
            {"relationships": _("Confirm at least one of the matched relationships.")}
        )
    if chosen - matched:
        raise ValidationError(
            {"relationships": _("Only relationships the advisory matched can be confirmed.")}
        )
    rapid = rapid_assessment_start(
        care_org=advisory.care_org,
        actor=actor,
        relationships=ids,
        due_date=due_date,
        target=RapidTarget.ADVISORY,
        label=f"{advisory.tracking_id}: {advisory.title}"[:200],
        request=request,
    )
    advisory.matches.filter(relationship_id__in=ids).update(confirmed=True)
    advisory.status, advisory.rapid = AdvisoryStatus.SENT, rapid
    advisory.decided_by, advisory.decided_at = actor, timezone.now()
    advisory.save(update_fields=["status", "rapid", "decided_by", "decided_at"])
    audit_record(
        action="csaf.advisory_confirmed",
        organisation=advisory.care_org,
        actor=actor,
        obj=advisory,
        after={"relationships": ids, "rapid": rapid.pk},
        request=request,
    )
    return rapid


@transaction.atomic
def advisory_dismiss(*, advisory: Advisory, actor, request=None) -> Advisory:
    """Nothing in it concerns the organisation: close it without sending anything."""
    advisory = Advisory.objects.select_for_update().get(pk=advisory.pk)
    _open(advisory)
    advisory.status = AdvisoryStatus.DISMISSED
    advisory.decided_by, advisory.decided_at = actor, timezone.now()
    advisory.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action="csaf.advisory_dismissed",
        organisation=advisory.care_org,
        actor=actor,
        obj=advisory,
        request=request,
    )
    return advisory
