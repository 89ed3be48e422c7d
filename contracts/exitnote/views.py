"""Pages for the exit note: read, generate, edit per section, proposals, approval, versions
compared side by side, exit tests and the PDF (care organisation side only)."""

from __future__ import annotations

import difflib
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict
from portal.core.i18n import active_language, stored_text
from portal.core.permissions import has_perm

from .. import exitnote as svc
from ..exports import exit_note_pdf
from ..lockin import FACTORS
from ..models import ExitNote, ExitTest, ExitTestKind, ExitTestOutcome
from ..views import _message, _relationship


def _note(rel) -> ExitNote | None:
    return ExitNote.objects.filter(relationship=rel).first()


@membership_required("care.read")
def exit_note(request, pk: int):
    rel = _relationship(request, pk)
    note = _note(rel)
    sections = [
        {"s": s, "title": svc.section_title(s.key)} for s in (note.sections.all() if note else [])
    ]
    stored = note.lock_in_reasons if note else []
    scored = {r["factor"]: r["points"] for r in stored}
    membership = request.membership
    latest = note.versions.order_by("-number").first() if note else None
    return render(
        request,
        "contracts/exit_note.html",
        {
            "rel": rel,
            "note": note,
            "sections": sections,
            "reasons": [{"points": r["points"], "text": stored_text(r)} for r in stored],
            "factors": [
                {"name": name, "explanation": explanation, "points": scored.get(factor, 0)}
                for factor, (name, explanation) in FACTORS.items()
            ],
            "latest_version": latest.number if latest else 0,
            "versions": note.versions.select_related("saved_by")[:30] if note else [],
            "tests": ExitTest.objects.filter(relationship=rel).select_related("recorded_by"),
            "can_edit": has_perm(membership, "exitnote.edit"),
            "can_approve": has_perm(membership, "exitnote.approve")
            and note is not None
            and note.status != "approved"
            and not (membership.role in ("security", "admin") and note.security_approved_by_id)
            and not (membership.role == "board" and note.board_approved_by_id),
            "kinds": ExitTestKind.choices,
            "outcomes": ExitTestOutcome.choices,
        },
    )


def _back(rel, anchor=""):
    return redirect(reverse("exit_note", args=[rel.pk]) + anchor)


@require_POST
@membership_required("exitnote.edit")
def exit_note_generate(request, pk: int):
    rel = _relationship(request, pk)
    svc.exit_note_generate(relationship=rel, actor=request.user, lang=active_language())
    messages.success(
        request,
        _(
            "The exit note was brought up to date. Edited sections keep your text; new "
            "suggestions for them are shown to accept or dismiss."
        ),
    )
    return _back(rel)


@require_POST
@membership_required("exitnote.edit")
def exit_section_save(request, pk: int, key: str):
    rel = _relationship(request, pk)
    note = _note(rel)
    if note is None:
        messages.error(request, _("Draw up the exit note first."))
        return _back(rel)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        svc.exit_section_save(
            note=note,
            key=key,
            body=request.POST.get("body", ""),
            actor=request.user,
            version=version,
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Section saved as a new version."))
    return _back(rel, f"#x-{key}")


@require_POST
@membership_required("exitnote.edit")
def exit_proposal(request, pk: int, key: str):
    rel = _relationship(request, pk)
    note = _note(rel)
    try:
        if note is None:
            raise Conflict(_("There is no proposal for this section."))
        svc.exit_proposal_decide(
            note=note,
            key=key,
            accept=request.POST.get("accept") == "1",
            actor=request.user,
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    return _back(rel, f"#x-{key}")


@require_POST
@membership_required("exitnote.approve")
def exit_note_approve(request, pk: int):
    rel = _relationship(request, pk)
    note = _note(rel)
    try:
        if note is None:
            raise Conflict(_("Draw up the exit note first."))
        note = svc.exit_note_approve(note=note, membership=request.membership, request=request)
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            _("Approved. The exit note is now read-only.")
            if note.status == "approved"
            else _("Your approval is recorded; the second approval is still needed."),
        )
    return _back(rel)


@require_POST
@membership_required("exitnote.edit")
def exit_note_new_version(request, pk: int):
    rel = _relationship(request, pk)
    note = _note(rel)
    try:
        if note is None:
            raise Conflict(_("Draw up the exit note first."))
        svc.exit_note_new_version(note=note, actor=request.user, request=request)
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("A new version was started; it needs approval again."))
    return _back(rel)


def _diff(a: str, b: str) -> list[tuple[str, str]]:
    """Lines of b against a: ('same'|'added'|'removed', text)."""
    out = []
    for line in difflib.ndiff(a.splitlines(), b.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            out.append(("same", text))
        elif tag == "+ ":
            out.append(("added", text))
        elif tag == "- ":
            out.append(("removed", text))
    return out


@membership_required("care.read")
def exit_note_versions(request, pk: int):
    """Two versions side by side, section by section, with the changed lines marked."""
    rel = _relationship(request, pk)
    note = _note(rel)
    versions = list(note.versions.select_related("saved_by")) if note else []
    by_number = {v.number: v for v in versions}
    try:
        a = by_number.get(int(request.GET.get("a", "")))
        b = by_number.get(int(request.GET.get("b", "")))
    except ValueError:
        a = b = None
    if versions and (a is None or b is None):
        b = versions[0]
        a = versions[1] if len(versions) > 1 else versions[0]
    rows = []
    if a and b:
        for key in svc.SECTIONS:
            left, right = a.sections.get(key, ""), b.sections.get(key, "")
            rows.append(
                {
                    "title": svc.section_title(key),
                    "left": left,
                    "right": right,
                    "changed": left != right,
                    "diff": _diff(left, right),
                }
            )
    return render(
        request,
        "contracts/exit_versions.html",
        {"rel": rel, "versions": versions, "a": a, "b": b, "rows": rows},
    )


@require_POST
@membership_required("exitnote.edit")
def exit_test_add(request, pk: int):
    rel = _relationship(request, pk)
    try:
        tested_on = date.fromisoformat(request.POST.get("tested_on", ""))
    except ValueError:
        tested_on = None
    try:
        svc.exit_test_record(
            relationship=rel,
            actor=request.user,
            tested_on=tested_on,
            kind=request.POST.get("kind", ""),
            participants=request.POST.get("participants", "")[:500],
            outcome=request.POST.get("outcome", ""),
            notes=request.POST.get("notes", "")[:4000],
            actions=request.POST.get("actions", "")[:4000],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Exit test recorded."))
    return _back(rel, "#tests")


@membership_required("care.read")
def exit_note_pdf_view(request, pk: int):
    rel = _relationship(request, pk)
    note = _note(rel)
    if note is None:
        messages.error(request, _("Draw up the exit note first."))
        return _back(rel)
    response = HttpResponse(
        exit_note_pdf(rel, note, active_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="exit-note-{rel.pk}.pdf"'
    return response
