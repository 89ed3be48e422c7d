"""Exit-strategy notes (DESIGN §9, DOMAIN §8c): generated from what the portal knows, then
edited by people, versioned and approved; regeneration proposes, it never overwrites an edit.

Every generated paragraph says what is known and what is missing, and who should find out.
Text is stored as plain text and always escaped on output: no HTML or script gets through.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict
from suppliers.models import CERTIFICATE_KINDS, SupplierDocument
from suppliers.selectors import EEA

from .checklist import facts_for
from .lockin import lock_in
from .models import (
    OPEN_CLAUSE,
    ChecklistItem,
    Contract,
    ExitNote,
    ExitNoteSection,
    ExitNoteStatus,
    ExitNoteVersion,
    ExitTest,
)

SECTIONS = [
    ("scope", "Reikwijdte en afhankelijkheid", "Scope and dependency"),
    ("lock_in", "Lock-in", "Lock-in"),
    ("data_return", "Teruggave en verwijdering van gegevens", "Data return and deletion"),
    ("transition", "Overgangsbegeleiding", "Transition assistance"),
    ("alternatives", "Alternatieven", "Alternatives"),
    ("continuity", "Continuïteit tijdens de exit", "Continuity during the exit"),
    ("triggers", "Aanleidingen om de exit te starten", "Triggers to start the exit"),
    ("steps", "Stappen, planning en rollen", "Steps, timeline and roles"),
    ("actions", "Open acties", "Open actions"),
]
TITLES = {key: (nl, en) for key, nl, en in SECTIONS}
MAX_TEXT = 20000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Plain text only: control characters removed, line endings normalised, length capped."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()[:MAX_TEXT]


# -- what the portal knows -------------------------------------------------------------------


def gather(rel) -> dict:
    facts, _texts, shown = facts_for(rel)
    items = {
        i.clause.code: i.status
        for i in ChecklistItem.objects.filter(relationship=rel, triggered=True).select_related(
            "clause"
        )
    }
    facts["checklist.EXIT-ASSIST"] = items.get("EXIT-ASSIST")
    contract = Contract.objects.filter(relationship=rel).order_by("-start_date", "-pk").first()
    today = timezone.localdate()
    if contract is not None:
        if contract.end_date:
            facts["contract.months_left"] = max(
                0,
                (contract.end_date.year - today.year) * 12 + contract.end_date.month - today.month,
            )
        facts["contract.notice_months"] = contract.notice_months
    subs = [s for p in rel.products.all() for s in p.subprocessors.all()]
    facts["fourth_party.non_eu_parent"] = any(
        (s.parent_country and s.parent_country not in EEA) or s.country not in EEA for s in subs
    )
    return {
        "facts": facts,
        "shown": shown,
        "clauses": items,
        "contract": contract,
        "subs": subs,
        "products": list(rel.products.all()),
        "findings": list(
            rel.findings.filter(status__in=("open", "remediation_planned")).order_by("due_date")[
                :15
            ]
        ),
        "tests": list(ExitTest.objects.filter(relationship=rel)[:1]),
        "certificates": list(
            SupplierDocument.objects.filter(
                supplier=rel.supplier, offered=True, kind__in=CERTIFICATE_KINDS
            ).order_by("title")
        ),
        "lock_in": lock_in(facts),
        "today": today,
    }


# -- generated text, per section -------------------------------------------------------------


TIER_NL = {"low": "laag", "medium": "midden", "high": "hoog", "critical": "kritiek"}


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _answer_text(g: dict, code: str, lang: str) -> str | None:
    """The supplier's answer as people read it (choice labels, not codes), or None."""
    shown = g["shown"].get(code)
    return None if shown is None else shown[1 if lang == "en" else 0]


def generate_texts(rel, lang: str = "nl") -> dict[str, str]:
    """One plain-language paragraph (or a short list) per section."""
    g = gather(rel)
    f, li = g["facts"], g["lock_in"]
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    unknown_supplier = t(
        "Onbekend — de leverancier moet dit aangeven in de vragenlijst.",
        "Not known — the supplier should state this in the questionnaire.",
    )
    texts: dict[str, str] = {}

    # Scope and dependency
    products = ", ".join(p.name for p in g["products"]) or t(
        "geen producten gekozen", "no products picked"
    )
    lines = [
        t(
            f"{rel.supplier.name} levert {rel.name} ({products}). Risicoklasse: {TIER_NL[rel.inherent_tier]}; "
            f"gevolgen van 24 uur uitval: niveau {f.get('intake.continuity')} van 3; "
            f"vervangbaarheid: niveau {f.get('intake.substitutability')} van 3.",
            f"{rel.supplier.name} delivers {rel.name} ({products}). Tier: {rel.inherent_tier}; "
            f"impact of a 24-hour outage: level {f.get('intake.continuity')} of 3; "
            f"substitutability: level {f.get('intake.substitutability')} of 3.",
        )
    ]
    if g["subs"]:
        parties = "; ".join(
            f"{s.name} ({s.service}, {s.country}{'/' + s.parent_country if s.parent_country else ''})"
            for s in g["subs"]
        )
        lines.append(t(f"Vierde partijen: {parties}.", f"Fourth parties: {parties}."))
    else:
        lines.append(
            t(
                "Vierde partijen: niet opgegeven — vraag de leverancier om de lijst van subverwerkers.",
                "Fourth parties: none declared — ask the supplier for its sub-processor list.",
            )
        )
    certs = g["certificates"]
    if certs:
        listed = "; ".join(
            f"{d.title} ({d.valid_until.isoformat() if d.valid_until else '—'})" for d in certs
        )
        lines.append(
            t(f"Certificaten en rapporten: {listed}.", f"Certificates and reports: {listed}.")
        )
    else:
        lines.append(
            t(
                "De leverancier biedt geen certificaat aan — vraag om het NEN 7510- of ISO 27001-certificaat.",
                "The supplier offers no certificate — ask for its NEN 7510 or ISO 27001 certificate.",
            )
        )
    c = g["contract"]
    if c is not None:
        end = c.end_date.isoformat() if c.end_date else t("onbepaalde tijd", "open-ended")
        lines.append(
            t(
                f"Contract {c.reference}: tot {end}, opzegtermijn {c.notice_months} maanden.",
                f"Contract {c.reference}: until {end}, notice period {c.notice_months} months.",
            )
        )
    else:
        lines.append(
            t(
                "Er is geen contract vastgelegd — inkoop legt het vast in het contractregister.",
                "No contract is registered — procurement should record it in the register.",
            )
        )
    texts["scope"] = "\n".join(lines)

    # Lock-in
    reasons = "\n".join(f"- {r.nl if lang != 'en' else r.en} ({r.points})" for r in li.reasons)
    texts["lock_in"] = t(
        f"Lock-in: {TIER_NL[li.level]} (score {li.score}; laag tot 5, midden tot 11, daarboven hoog).\n",
        f"Lock-in: {li.level} (score {li.score}; low up to 5, medium up to 11, high above).\n",
    ) + (
        reasons
        or t("Geen factoren die het vertrek bemoeilijken.", "No factors that hinder leaving.")
    )

    # Data return and deletion
    export, formats = _answer_text(g, "EXIT-01", lang), _answer_text(g, "EXIT-02", lang)
    deletion = _answer_text(g, "EXIT-07", lang)
    texts["data_return"] = "\n".join(
        [
            t(
                f"Export van alle gegevens: {export or unknown_supplier}",
                f"Export of all data: {export or unknown_supplier}",
            ),
            t(
                f"Formaten: {formats or unknown_supplier} (gewenst: HL7 FHIR, zibs, DICOM, CSV met "
                "datawoordenboek).",
                f"Formats: {formats or unknown_supplier} (wanted: HL7 FHIR, zibs, DICOM, CSV with a "
                "data dictionary).",
            ),
            t(
                f"Volume: gegevens van patiënten/cliënten op niveau {f.get('intake.volume')} van 3; "
                "de precieze omvang (GB, aantallen dossiers) moet de leverancier opgeven.",
                f"Volume: patient/client data at level {f.get('intake.volume')} of 3; the exact size "
                "(GB, number of records) is for the supplier to state.",
            ),
            t(
                f"Verwijdering met verklaring na teruggave: {deletion or unknown_supplier}",
                f"Deletion with a certificate after return: {deletion or unknown_supplier}",
            ),
            _clause_line(g["clauses"], "DATA-RETURN", lang),
        ]
    )

    # Transition
    months = _answer_text(g, "EXIT-04", lang)
    texts["transition"] = "\n".join(
        [
            t(
                f"Overgangsbegeleiding volgens de leverancier: {months + ' maanden' if months else unknown_supplier}",
                f"Transition assistance according to the supplier: {months + ' months' if months else unknown_supplier}",
            ),
            _clause_line(g["clauses"], "EXIT-ASSIST", lang),
            t(
                "Nodig: een overgangsperiode met volledige dienstverlening en medewerking aan de "
                "opvolger, tegen vooraf vastgelegde kosten.",
                "Needed: a transition period with full service and cooperation with the successor, "
                "at costs fixed in advance.",
            ),
        ]
    )

    # Alternatives
    sub = f.get("intake.substitutability")
    texts["alternatives"] = t(
        "Volgens de intake is deze leverancier "
        + {0: "binnen een maand", 1: "binnen zes maanden", 2: "binnen 18 maanden"}.get(
            sub, "niet binnen 18 maanden of helemaal niet"
        )
        + " te vervangen. Nog te doen door de eigenaar: een marktverkenning (welke leveranciers, "
        "of zelf doen), met geschatte duur, kosten en benodigde mensen.",
        "According to the intake this supplier can be replaced "
        + {0: "within a month", 1: "within six months", 2: "within 18 months"}.get(
            sub, "not within 18 months, or not at all"
        )
        + ". Still to do by the owner: a market scan (which suppliers, or in-house), with "
        "estimated duration, cost and staff.",
    )

    # Continuity during the exit
    legacy, logs = _answer_text(g, "NL-02", lang), _answer_text(g, "LOG-03", lang)
    texts["continuity"] = "\n".join(
        [
            t(
                "Tijdens de exit draaien oud en nieuw systeem parallel tot de gegevens zijn "
                "gecontroleerd; noodprocedures voor de zorg blijven van kracht.",
                "During the exit the old and new systems run in parallel until the data has been "
                "checked; downtime procedures for care stay in force.",
            ),
            t(
                f"Toegang tot oude dossiers voor de WGBO-bewaartermijn (20 jaar): {legacy or unknown_supplier}",
                f"Access to legacy records for the WGBO retention period (20 years): {legacy or unknown_supplier}",
            ),
            t(
                f"NEN 7513-logs (ten minste vijf jaar) exporteerbaar: {logs or unknown_supplier}",
                f"NEN 7513 logs (at least five years) exportable: {logs or unknown_supplier}",
            ),
            _clause_line(g["clauses"], "LEGACY-ACCESS", lang),
        ]
    )

    # Triggers
    texts["triggers"] = (
        t(
            "Start de exit bij: faillissement of dreigende betalingsonmacht; een ernstig "
            "beveiligingsincident of datalek; verlies van het NEN 7510- of ISO 27001-certificaat; "
            "sancties tegen de leverancier of zijn eigenaar; een wijziging van zeggenschap (zeker door "
            "een partij buiten de EU); herhaald niet halen van de dienstniveaus (drie maanden onder "
            "de norm); een knock-outbevinding die na 90 dagen niet is opgelost.",
            "Start the exit on: insolvency or an impending inability to pay; a serious security "
            "incident or data breach; loss of the NEN 7510 or ISO 27001 certificate; sanctions "
            "against the supplier or its owner; a change of control (especially by a party outside "
            "the EU); repeatedly missed service levels (three months below target); a knock-out "
            "finding not resolved within 90 days.",
        )
        + "\n"
        + _clause_line(g["clauses"], "TERMINATION", lang)
    )

    # Steps
    owner = rel.owner or t("(geen eigenaar)", "(no owner)")
    tested = g["tests"][0] if g["tests"] else None
    texts["steps"] = "\n".join(
        [
            t(
                "1. Voorbereiden: besluit, projectteam, communicatie (eigenaar: "
                f"{owner}; besluit: bestuur).",
                f"1. Prepare: decision, project team, communication (owner: {owner}; decision: "
                "board).",
            ),
            t(
                "2. Proefexport en controle op volledigheid.",
                "2. Trial export and completeness check.",
            ),
            t("3. Parallel draaien.", "3. Parallel running."),
            t(
                "4. Migreren en valideren (volledigheid, aansluiting van dossiers, acceptatie door "
                "zorgverleners, logcontinuïteit).",
                "4. Migrate and validate (completeness, reconciliation of records, clinician "
                "acceptance, log continuity).",
            ),
            t(
                "5. Overstappen, afsluiten, verwijderverklaring opvragen.",
                "5. Cut over, decommission, obtain the deletion certificate.",
            ),
            t(
                f"Laatste exittest: {tested.tested_on.isoformat()} ({tested.get_outcome_display()})."
                if tested
                else "Nog geen exittest gedaan — plan een tabletop- of exporttest.",
                f"Last exit test: {tested.tested_on.isoformat()} ({tested.get_outcome_display()})."
                if tested
                else "No exit test yet — plan a tabletop or export test.",
            ),
        ]
    )

    # Open actions
    actions = []
    for code, status in sorted(g["clauses"].items()):
        if status in OPEN_CLAUSE and code in (
            "EXIT-ASSIST",
            "DATA-RETURN",
            "ESCROW",
            "LEGACY-ACCESS",
            "DATA-ACT-SWITCH",
            "TERMINATION",
            "CHANGE-OF-CONTROL",
            "AVG-28-3-G",
        ):
            actions.append(
                t(
                    f"- Clausule {code} ontbreekt in het contract (inkoop).",
                    f"- Clause {code} is missing from the contract (procurement).",
                )
            )
    for finding in g["findings"]:
        actions.append(
            t(
                f"- Bevinding {finding.question_code}: {finding.title_nl[:100]} (uiterlijk "
                f"{finding.due_date.isoformat()}).",
                f"- Finding {finding.question_code}: {finding.title_en[:100]} (by "
                f"{finding.due_date.isoformat()}).",
            )
        )
    for r in li.reasons:
        if r.nl.startswith("Onbekend"):
            actions.append("- " + (r.en if lang == "en" else r.nl))
    texts["actions"] = "\n".join(actions) or t("Geen open acties.", "No open actions.")
    return {k: clean_text(v) for k, v in texts.items()}


def _clause_line(clauses: dict, code: str, lang: str) -> str:
    status = clauses.get(code)
    if status is None:
        return _t(
            lang, f"Clausule {code}: niet op de checklist.", f"Clause {code}: not on the checklist."
        )
    words = {
        "nl": {
            "missing": "ontbreekt",
            "negotiating": "in onderhandeling",
            "present": "aanwezig",
            "waived": "afgezien",
        },
        "en": {
            "missing": "missing",
            "negotiating": "negotiating",
            "present": "present",
            "waived": "waived",
        },
    }["en" if lang == "en" else "nl"]
    return _t(lang, f"Clausule {code}: {words[status]}.", f"Clause {code}: {words[status]}.")


# -- writes ----------------------------------------------------------------------------------


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
    for order, (key, _nl, _en) in enumerate(SECTIONS):
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


@transaction.atomic
def exit_test_record(
    *,
    relationship,
    actor,
    tested_on: date | None,
    kind: str,
    participants: str,
    outcome: str,
    notes: str = "",
    actions: str = "",
    request=None,
) -> ExitTest:
    from .models import ExitTestKind, ExitTestOutcome

    errors = {}
    if tested_on is None or tested_on > timezone.localdate():
        errors["tested_on"] = _("Give the date of the test (not in the future).")
    if kind not in ExitTestKind.values:
        errors["kind"] = _("Choose the kind of test.")
    if outcome not in ExitTestOutcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not (participants or "").strip():
        errors["participants"] = _("Say who took part.")
    if errors:
        raise ValidationError(errors)
    test = ExitTest.objects.create(
        relationship=relationship,
        tested_on=tested_on,
        kind=kind,
        participants=clean_text(participants)[:500],
        outcome=outcome,
        notes=clean_text(notes)[:4000],
        actions=clean_text(actions)[:4000],
        recorded_by=actor,
    )
    audit_record(
        action="exit_test.recorded",
        organisation=relationship.care_org,
        actor=actor,
        obj=relationship,
        after={"date": tested_on.isoformat(), "kind": kind, "outcome": outcome},
        request=request,
    )
    return test


def exit_test_reminders(*, today: date) -> int:
    """Critical relationships are tested yearly: their owner hears when a test is due (a year
    after the last one, or now when there was none), once per due date."""
    from django.urls import reverse

    from portal.core.notifications.services import notify, once
    from suppliers.models import Relationship
    from suppliers.risk import add_months

    sent = 0
    for rel in (
        Relationship.objects.filter(
            inherent_tier="critical", owner__isnull=False, owner__is_active=True
        )
        .exclude(status="ended")
        .select_related("owner", "care_org")
    ):
        last = ExitTest.objects.filter(relationship=rel).order_by("-tested_on").first()
        due = add_months(last.tested_on, 12) if last else today
        if due > today or not once(f"exit-test:{rel.pk}:{due.isoformat()}"):
            continue

        def render(rel=rel, last=last):
            return (
                _("Exit test due for %(name)s") % {"name": rel.name},
                (
                    _(
                        "The last exit test of %(name)s was on %(date)s. Critical suppliers are "
                        "tested every year: plan a tabletop or export test."
                    )
                    % {"name": rel.name, "date": last.tested_on.isoformat()}
                    if last
                    else _(
                        "%(name)s is critical and its exit has never been tested. Plan a "
                        "tabletop or export test."
                    )
                    % {"name": rel.name}
                ),
            )

        notify(
            user=rel.owner,
            organisation=rel.care_org,
            render=render,
            url=reverse("exit_note", args=[rel.pk]),
            kind="exit_test.due",
        )
        sent += 1
    return sent
