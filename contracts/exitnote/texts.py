"""The generated text of the exit note, one plain-language paragraph per section (DOMAIN §8c).

Every paragraph says what is known and what is missing, and who should find out. The texts are
gettext messages rendered in one language at a time (`translation.override`). Text is stored as
plain text and always escaped on output: no HTML or script gets through.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..models import OPEN_CLAUSE
from .facts import gather

SECTION_TITLES = {
    "scope": gettext_lazy("Scope and dependency"),
    "lock_in": gettext_lazy("Lock-in"),
    "data_return": gettext_lazy("Data return and deletion"),
    "transition": gettext_lazy("Transition assistance"),
    "alternatives": gettext_lazy("Alternatives"),
    "continuity": gettext_lazy("Continuity during the exit"),
    "triggers": gettext_lazy("Triggers to start the exit"),
    "steps": gettext_lazy("Steps, timeline and roles"),
    "actions": gettext_lazy("Open actions"),
}
SECTIONS = tuple(SECTION_TITLES)  # the section keys, in the order of the note
MAX_TEXT = 20000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Levels as words inside a sentence ("Lock-in: high"), lower case.
LEVEL_WORDS = {
    "low": pgettext_lazy("level in a sentence", "low"),
    "medium": pgettext_lazy("level in a sentence", "medium"),
    "high": pgettext_lazy("level in a sentence", "high"),
    "critical": pgettext_lazy("level in a sentence", "critical"),
}
CLAUSE_WORDS = {
    "missing": pgettext_lazy("clause status in a sentence", "missing"),
    "negotiating": pgettext_lazy("clause status in a sentence", "negotiating"),
    "present": pgettext_lazy("clause status in a sentence", "present"),
    "waived": pgettext_lazy("clause status in a sentence", "waived"),
}
REPLACEABLE = {
    0: gettext_lazy("within a month"),
    1: gettext_lazy("within six months"),
    2: gettext_lazy("within 18 months"),
}
EXIT_CLAUSES = (
    "EXIT-ASSIST",
    "DATA-RETURN",
    "ESCROW",
    "LEGACY-ACCESS",
    "DATA-ACT-SWITCH",
    "TERMINATION",
    "CHANGE-OF-CONTROL",
    "AVG-28-3-G",
)


def section_title(key: str) -> str:
    """A section's title in the active language."""
    return str(SECTION_TITLES.get(key, key))


def clean_text(text: str) -> str:
    """Plain text only: control characters removed, line endings normalised, length capped."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()[:MAX_TEXT]


def _level(level: str) -> str:
    return str(LEVEL_WORDS.get(level, level))


def _answer(g: dict, code: str) -> str | None:
    """The supplier's answer as people read it (choice labels, not codes), or None."""
    shown = g["shown"].get(code)
    if shown is None:
        return None
    return shown[1 if translation.get_language() == "en" else 0]


def _unknown() -> str:
    return _("Not known — the supplier should state this in the questionnaire.")


def _clause_line(g: dict, code: str) -> str:
    status = g["clauses"].get(code)
    if status is None:
        return _("Clause %(code)s: not on the checklist.") % {"code": code}
    return _("Clause %(code)s: %(status)s.") % {"code": code, "status": CLAUSE_WORDS[status]}


# -- one function per section ----------------------------------------------------------------


def _scope(rel, g: dict) -> str:
    f = g["facts"]
    products = ", ".join(p.name for p in g["products"]) or _("no products picked")
    lines = [
        _(
            "%(supplier)s delivers %(relationship)s (%(products)s). Tier: %(tier)s; impact of a "
            "24-hour outage: level %(continuity)s of 3; substitutability: level "
            "%(substitutability)s of 3."
        )
        % {
            "supplier": rel.supplier.name,
            "relationship": rel.name,
            "products": products,
            "tier": _level(rel.inherent_tier),
            "continuity": f.get("intake.continuity"),
            "substitutability": f.get("intake.substitutability"),
        }
    ]
    if g["subs"]:
        parties = "; ".join(
            f"{s.name} ({s.service}, {s.country}"
            f"{'/' + s.parent_country if s.parent_country else ''})"
            for s in g["subs"]
        )
        lines.append(_("Fourth parties: %(parties)s.") % {"parties": parties})
    else:
        lines.append(
            _("Fourth parties: none declared — ask the supplier for its sub-processor list.")
        )
    if g["certificates"]:
        listed = "; ".join(
            f"{d.title} ({d.valid_until.isoformat() if d.valid_until else '—'})"
            for d in g["certificates"]
        )
        lines.append(_("Certificates and reports: %(listed)s.") % {"listed": listed})
    else:
        lines.append(
            _("The supplier offers no certificate — ask for its NEN 7510 or ISO 27001 certificate.")
        )
    c = g["contract"]
    if c is not None:
        end = c.end_date.isoformat() if c.end_date else _("open-ended")
        lines.append(
            _("Contract %(reference)s: until %(end)s, notice period %(months)s months.")
            % {"reference": c.reference, "end": end, "months": c.notice_months}
        )
    else:
        lines.append(_("No contract is registered — procurement should record it in the register."))
    return "\n".join(lines)


def _lock_in(rel, g: dict) -> str:
    li = g["lock_in"]
    head = _("Lock-in: %(level)s (score %(score)s; low up to 5, medium up to 11, high above).") % {
        "level": _level(li.level),
        "score": li.score,
    }
    reasons = "\n".join(f"- {r.text} ({r.points})" for r in li.reasons)
    return head + "\n" + (reasons or _("No factors that hinder leaving."))


def _data_return(rel, g: dict) -> str:
    return "\n".join(
        [
            _("Export of all data: %(answer)s") % {"answer": _answer(g, "EXIT-01") or _unknown()},
            _("Formats: %(answer)s (wanted: HL7 FHIR, zibs, DICOM, CSV with a data dictionary).")
            % {"answer": _answer(g, "EXIT-02") or _unknown()},
            _(
                "Volume: patient/client data at level %(level)s of 3; the exact size (GB, "
                "number of records) is for the supplier to state."
            )
            % {"level": g["facts"].get("intake.volume")},
            _("Deletion with a certificate after return: %(answer)s")
            % {"answer": _answer(g, "EXIT-07") or _unknown()},
            _clause_line(g, "DATA-RETURN"),
        ]
    )


def _transition(rel, g: dict) -> str:
    months = _answer(g, "EXIT-04")
    return "\n".join(
        [
            _("Transition assistance according to the supplier: %(months)s months")
            % {"months": months}
            if months
            else _("Transition assistance according to the supplier: %(answer)s")
            % {"answer": _unknown()},
            _clause_line(g, "EXIT-ASSIST"),
            _(
                "Needed: a transition period with full service and cooperation with the "
                "successor, at costs fixed in advance."
            ),
        ]
    )


def _alternatives(rel, g: dict) -> str:
    when = REPLACEABLE.get(g["facts"].get("intake.substitutability"))
    return _(
        "According to the intake this supplier can be replaced %(when)s. Still to do by the "
        "owner: a market scan (which suppliers, or in-house), with estimated duration, cost and "
        "staff."
    ) % {"when": when or _("not within 18 months, or not at all")}


def _continuity(rel, g: dict) -> str:
    return "\n".join(
        [
            _(
                "During the exit the old and new systems run in parallel until the data has "
                "been checked; downtime procedures for care stay in force."
            ),
            _("Access to legacy records for the WGBO retention period (20 years): %(answer)s")
            % {"answer": _answer(g, "NL-02") or _unknown()},
            _("NEN 7513 logs (at least five years) exportable: %(answer)s")
            % {"answer": _answer(g, "LOG-03") or _unknown()},
            _clause_line(g, "LEGACY-ACCESS"),
        ]
    )


def _triggers(rel, g: dict) -> str:
    return (
        _(
            "Start the exit on: insolvency or an impending inability to pay; a serious security "
            "incident or data breach; loss of the NEN 7510 or ISO 27001 certificate; sanctions "
            "against the supplier or its owner; a change of control (especially by a party "
            "outside the EU); repeatedly missed service levels (three months below target); a "
            "knock-out finding not resolved within 90 days."
        )
        + "\n"
        + _clause_line(g, "TERMINATION")
    )


def _steps(rel, g: dict) -> str:
    owner = str(rel.owner) if rel.owner else _("(no owner)")
    tested = g["tests"][0] if g["tests"] else None
    return "\n".join(
        [
            _(
                "1. Prepare: decision, project team, communication (owner: %(owner)s; decision: "
                "board)."
            )
            % {"owner": owner},
            _("2. Trial export and completeness check."),
            _("3. Parallel running."),
            _(
                "4. Migrate and validate (completeness, reconciliation of records, clinician "
                "acceptance, log continuity)."
            ),
            _("5. Cut over, decommission, obtain the deletion certificate."),
            _("Last exit test: %(date)s (%(outcome)s).")
            % {"date": tested.tested_on.isoformat(), "outcome": tested.get_outcome_display()}
            if tested
            else _("No exit test yet — plan a tabletop or export test."),
        ]
    )


def _actions(rel, g: dict) -> str:
    english = translation.get_language() == "en"
    actions = [
        _("- Clause %(code)s is missing from the contract (procurement).") % {"code": code}
        for code, status in sorted(g["clauses"].items())
        if status in OPEN_CLAUSE and code in EXIT_CLAUSES
    ]
    actions += [
        _("- Finding %(code)s: %(title)s (by %(due)s).")
        % {
            "code": finding.question_code,
            "title": (finding.title_en if english else finding.title_nl)[:100],
            "due": finding.due_date.isoformat(),
        }
        for finding in g["findings"]
    ]
    actions += [f"- {r.text}" for r in g["lock_in"].reasons if r.unknown]
    return "\n".join(actions) or _("No open actions.")


WRITERS: dict[str, Callable[[object, dict], str]] = {
    "scope": _scope,
    "lock_in": _lock_in,
    "data_return": _data_return,
    "transition": _transition,
    "alternatives": _alternatives,
    "continuity": _continuity,
    "triggers": _triggers,
    "steps": _steps,
    "actions": _actions,
}


def generate_texts(rel, lang: str = "nl") -> dict[str, str]:
    """One plain-language paragraph (or a short list) per section, in `lang`."""
    g = gather(rel)
    with translation.override("en" if lang == "en" else "nl"):
        return {key: clean_text(WRITERS[key](rel, g)) for key in SECTIONS}
