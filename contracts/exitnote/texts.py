"""The generated text of the exit note, one plain-language paragraph per section (DOMAIN §8c).

Every paragraph says what is known and what is missing, and who should find out. Text is stored
as plain text and always escaped on output: no HTML or script gets through.
"""

from __future__ import annotations

import re

from ..models import OPEN_CLAUSE
from .facts import gather

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
