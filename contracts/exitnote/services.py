"""Exit-strategy notes (DESIGN §9, DOMAIN §8c): generated from what the portal knows, then
edited by people, versioned and approved; regeneration proposes, it never overwrites an edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict

from ..lockin import lock_in
from ..models import ExitNote, ExitNoteSection, ExitNoteStatus, ExitNoteVersion
from .facts import gather
from .texts import SECTIONS, clean_text, generate_texts


def _snapshot(note: ExitNote, actor, reason: str) -> None:
    number = (note.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    ExitNoteVersion.objects.create(
        note=note,
        number=number,
        sections={s.key: s.body for s in note.sections.all()},
        lock_in=note.lock_in,
        reason=reason[:200],
        saved_by=actor,
    )


@transaction.atomic
def exit_note_generate(*, relationship, actor=None, lang: str = "nl") -> ExitNote:
    """Create the note, or regenerate: untouched sections follow the new text, edited ones get a
    proposal to accept or dismiss. The lock-in rating is always refreshed."""
    texts = generate_texts(relationship, lang)
    result = lock_in(gather(relationship)["facts"])
    note, created = ExitNote.objects.select_for_update().get_or_create(relationship=relationship)
    note.lock_in, note.lock_in_score = result.level, result.score
    note.lock_in_reasons = [r.as_dict() for r in result.reasons]
    note.generated_at = timezone.now()
    note.save()
    changed = False
    sections = {s.key: s for s in note.sections.all()}
    for order, key in enumerate(SECTIONS):
        text = texts[key]
        s = sections.get(key)
        if s is None:
            ExitNoteSection.objects.create(
                note=note, key=key, order=order, body=text, generated_body=text
            )
            changed = True
        elif text == s.generated_body:
            continue
        elif not s.edited and note.status != ExitNoteStatus.APPROVED:
            s.body, s.generated_body, s.proposal = text, text, ""
            s.save()
            changed = True
        else:
            s.proposal = text
            s.save(update_fields=["proposal"])
    if changed:
        _snapshot(note, actor, "generated")
    audit_record(
        action="exit_note.generated" if created else "exit_note.regenerated",
        organisation=relationship.care_org,
        actor=actor,
        actor_label="" if actor else "system",
        obj=relationship,
        after={"lock_in": note.lock_in, "score": note.lock_in_score},
    )
    return note


def exit_note_refresh(*, relationship, actor=None) -> ExitNote | None:
    """After an intake or contract change: update an existing note (edits become proposals)."""
    if not ExitNote.objects.filter(relationship=relationship).exists():
        return None
    lang = getattr(actor, "language", "") or "nl"
    return exit_note_generate(relationship=relationship, actor=actor, lang=lang)


def _editable(note: ExitNote) -> ExitNote:
    locked = (
        ExitNote.objects.select_for_update()
        .select_related("relationship__care_org")
        .get(pk=note.pk)
    )
    if locked.status == ExitNoteStatus.APPROVED:
        raise Conflict(_("This exit note is approved and read-only. Start a new version first."))
    return locked


def _reset_approvals(note: ExitNote) -> None:
    if note.status == ExitNoteStatus.IN_APPROVAL:
        note.status = ExitNoteStatus.DRAFT
        note.security_approved_by = note.security_approved_at = None
        note.board_approved_by = note.board_approved_at = None
        note.save()


@transaction.atomic
def exit_section_save(
    *, note: ExitNote, key: str, body: str, actor, version: int | None = None, request=None
):
    note = _editable(note)
    section = note.sections.select_for_update().filter(key=key).first()
    if section is None:
        raise ValidationError({"key": _("Unknown section.")})
    current = note.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if version is not None and version != current:
        raise Conflict(
            _("Someone else changed this exit note meanwhile. Reload and try again."),
            current={"version": current},
        )
    text = clean_text(body)
    if not text:
        raise ValidationError({"body": _("A section cannot be empty.")})
    if text == section.body:
        return section
    before = section.body
    section.body, section.edited = text, True
    section.updated_by, section.updated_at = actor, timezone.now()
    section.save()
    _reset_approvals(note)
    _snapshot(note, actor, f"edited {key}")
    audit_record(
        action="exit_note.edited",
        organisation=note.relationship.care_org,
        actor=actor,
        obj=note.relationship,
        before={"section": key, "body": before[:2000]},
        after={"section": key, "body": text[:2000]},
        request=request,
    )
    return section


@transaction.atomic
def exit_proposal_decide(*, note: ExitNote, key: str, accept: bool, actor, request=None):
    """Accept a regenerated text for an edited section, or dismiss it (keeping the edit)."""
    note = _editable(note)
    section = note.sections.select_for_update().filter(key=key).first()
    if section is None or not section.proposal:
        raise Conflict(_("There is no proposal for this section."))
    if accept:
        section.body, section.edited = section.proposal, False
    section.generated_body, section.proposal = section.proposal, ""
    section.updated_by, section.updated_at = actor, timezone.now()
    section.save()
    if accept:
        _reset_approvals(note)
        _snapshot(note, actor, f"accepted proposal for {key}")
    audit_record(
        action="exit_note.proposal_accepted" if accept else "exit_note.proposal_dismissed",
        organisation=note.relationship.care_org,
        actor=actor,
        obj=note.relationship,
        after={"section": key},
        request=request,
    )
    return section


@transaction.atomic
def exit_note_approve(*, note: ExitNote, membership, request=None) -> ExitNote:
    """A security officer and a board member each approve; both → approved (read-only)."""
    note = (
        ExitNote.objects.select_for_update()
        .select_related("relationship__care_org")
        .get(pk=note.pk)
    )
    if note.status == ExitNoteStatus.APPROVED:
        raise Conflict(_("This exit note is already approved."))
    actor, now = membership.user, timezone.now()
    if membership.role in ("security", "admin"):
        if note.security_approved_by_id:
            raise Conflict(_("A security officer has already approved this version."))
        note.security_approved_by, note.security_approved_at = actor, now
    elif membership.role == "board":
        if note.board_approved_by_id:
            raise Conflict(_("A board member has already approved this version."))
        note.board_approved_by, note.board_approved_at = actor, now
    else:
        raise ValidationError(_("Only a security officer or a board member can approve."))
    both = note.security_approved_by_id and note.board_approved_by_id
    note.status = ExitNoteStatus.APPROVED if both else ExitNoteStatus.IN_APPROVAL
    note.save()
    audit_record(
        action="exit_note.approved",
        organisation=note.relationship.care_org,
        actor=actor,
        obj=note.relationship,
        after={"role": membership.role, "status": note.status, "version": note.version},
        request=request,
    )
    return note


@transaction.atomic
def exit_note_new_version(*, note: ExitNote, actor, request=None) -> ExitNote:
    note = (
        ExitNote.objects.select_for_update()
        .select_related("relationship__care_org")
        .get(pk=note.pk)
    )
    if note.status != ExitNoteStatus.APPROVED:
        raise Conflict(_("Only an approved note needs a new version; this one can be edited."))
    note.status, note.version = ExitNoteStatus.DRAFT, note.version + 1
    note.security_approved_by = note.security_approved_at = None
    note.board_approved_by = note.board_approved_at = None
    note.save()
    _snapshot(note, actor, f"new version {note.version}")
    audit_record(
        action="exit_note.new_version",
        organisation=note.relationship.care_org,
        actor=actor,
        obj=note.relationship,
        after={"version": note.version},
        request=request,
    )
    return note
