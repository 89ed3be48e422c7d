"""Vendor lock-in rating (DESIGN §9, DOMAIN §8c): a pure, documented function. No ORM.

`lock_in(facts)` adds points per factor and returns the level with every reason and its weight,
so the exit note can say *why* leaving this supplier would be hard. An unknown answer counts one
point ("not known yet") — what nobody has asked about is a risk too.

| factor | source | points |
|---|---|---|
| substitutability | intake 3 / 2 | 3 / 1 |
| complete export | EXIT-01: no / partial / only on request | 5 / 3 / 1 |
| open formats | EXIT-02 only proprietary / no FHIR or zib for an EPD | 3 / 2 |
| an API or self-service export | EXIT-01 not "self_full" | (counted in export) |
| data dictionary | EXIT-03 no / partial | 2 / 1 |
| transition assistance | EXIT-04 months < 6 (< 1 for cloud) | 2 |
| escrow | EXIT-06 no (partial 1) | 2 |
| exit-assistance clause | checklist EXIT-ASSIST not present | 3 |
| contract term and notice | remaining term > 36 months, or notice > 6 months | 1 each |
| data volume | intake volume 3 / 2 | 2 / 1 |
| non-EU jurisdiction | LOC-04 yes / partial, or a fourth party with a non-EEA parent | 2 / 1 |
| independent copy of the data | BCK-05 no / partial | 2 / 1 |
| log export (NEN 7513) | LOG-03 no / partial | 2 / 1 |
| legacy access (WGBO) | NL-02 no, for an EPD | 3 |
| exit costs | EXIT-05 no, for cloud | 1 |

Levels: 0–5 low, 6–11 medium, 12 and more high.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LOW_MAX, MEDIUM_MAX = 5, 11
UNKNOWN = 1


@dataclass(frozen=True)
class LockInReason:
    factor: str
    points: int
    nl: str
    en: str

    def as_dict(self) -> dict:
        return {"factor": self.factor, "points": self.points, "nl": self.nl, "en": self.en}


@dataclass(frozen=True)
class LockInResult:
    level: str
    score: int
    reasons: list[LockInReason] = field(default_factory=list)


def level_for(score: int) -> str:
    if score <= LOW_MAX:
        return "low"
    if score <= MEDIUM_MAX:
        return "medium"
    return "high"


def lock_in(facts: Mapping[str, Any]) -> LockInResult:
    """`facts`: intake.* and supplier.types, answer.<code> values, and
    `checklist.EXIT-ASSIST` (status or None), `contract.months_left`, `contract.notice_months`,
    `fourth_party.non_eu_parent` (bool)."""
    reasons: list[LockInReason] = []
    raw_types = facts.get("supplier.types") or []
    types = set(raw_types) if isinstance(raw_types, list | tuple | set) else {raw_types}
    epd, cloud = "epd" in types, "cloud" in types

    def add(factor, points, nl, en):
        if points:
            reasons.append(LockInReason(factor, points, nl, en))

    def answer(code):
        return facts.get(f"answer.{code}")

    def unknown(factor, code, nl_what, en_what):
        add(
            factor,
            UNKNOWN,
            f"Onbekend: {nl_what} (vraag {code} is niet beantwoord) — vraag het de leverancier.",
            f"Not known: {en_what} (question {code} unanswered) — ask the supplier.",
        )

    sub = facts.get("intake.substitutability")
    if sub == 3:
        add(
            "substitutability",
            3,
            "Er zijn weinig of geen alternatieven.",
            "Few or no alternatives.",
        )
    elif sub == 2:
        add(
            "substitutability",
            1,
            "Vervangen kost tot 18 maanden.",
            "Replacing takes up to 18 months.",
        )

    export = answer("EXIT-01")
    if export is None:
        unknown(
            "export",
            "EXIT-01",
            "of alle gegevens te exporteren zijn",
            "whether all data can be exported",
        )
    elif export == "no":
        add(
            "export",
            5,
            "Geen volledige export: de exit hangt af van de leverancier.",
            "No complete export: the exit depends on the supplier's cooperation.",
        )
    elif export == "partial":
        add("export", 3, "Slechts een gedeeltelijke export.", "Only a partial export.")
    elif export == "on_request":
        add(
            "export",
            1,
            "Export alleen op verzoek, niet zelf of via een API.",
            "Export only on request, not self-service or through an API.",
        )

    formats = answer("EXIT-02")
    if formats is None:
        unknown(
            "formats", "EXIT-02", "in welke formaten geëxporteerd kan worden", "the export formats"
        )
    else:
        formats = {str(f) for f in (formats if isinstance(formats, list) else [formats])}
        if formats and formats <= {"proprietary"}:
            add(
                "formats",
                3,
                "Alleen een eigen (gesloten) exportformaat: migreren is duur.",
                "Only a proprietary export format: migration is costly.",
            )
        elif epd and not formats & {"fhir", "zib"}:
            add(
                "formats",
                2,
                "Geen export in HL7 FHIR of zibs voor een EPD.",
                "No export in HL7 FHIR or zibs for an EPD.",
            )

    dictionary = answer("EXIT-03")
    if dictionary == "no":
        add(
            "dictionary",
            2,
            "Het datamodel is niet gedocumenteerd.",
            "The data model is undocumented.",
        )
    elif dictionary == "partial":
        add(
            "dictionary",
            1,
            "Het datamodel is deels gedocumenteerd.",
            "The data model is partly documented.",
        )

    months = answer("EXIT-04")
    if isinstance(months, int | float) and not isinstance(months, bool):
        if months < (1 if cloud and not epd else 6):
            add(
                "transition",
                2,
                f"Overgangsbegeleiding van {months:g} maanden is te kort.",
                f"Transition assistance of {months:g} months is too short.",
            )
    elif months is None:
        unknown(
            "transition",
            "EXIT-04",
            "hoe lang overgangsbegeleiding duurt",
            "how long transition assistance lasts",
        )

    escrow = answer("EXIT-06")
    if escrow == "no":
        add(
            "escrow",
            2,
            "Geen escrow: bij faillissement strandt het systeem.",
            "No escrow: insolvency would strand the system.",
        )
    elif escrow == "partial":
        add("escrow", 1, "Escrow dekt niet alles.", "Escrow covers only part.")

    clause = facts.get("checklist.EXIT-ASSIST")
    if clause is None or clause in ("missing", "negotiating"):
        add(
            "exit_clause",
            3,
            "Het contract bevat (nog) geen exitbegeleiding met overgangsperiode.",
            "The contract has no exit assistance with a transition period (yet).",
        )

    months_left = facts.get("contract.months_left")
    if isinstance(months_left, int | float) and months_left > 36:
        add(
            "term",
            1,
            f"Het contract loopt nog {months_left:g} maanden.",
            f"The contract runs for another {months_left:g} months.",
        )
    notice = facts.get("contract.notice_months")
    if isinstance(notice, int | float) and notice > 6:
        add(
            "notice",
            1,
            f"Opzegtermijn van {notice:g} maanden.",
            f"Notice period of {notice:g} months.",
        )

    volume = facts.get("intake.volume")
    if volume == 3:
        add(
            "volume",
            2,
            "Gegevens van meer dan 100.000 patiënten of cliënten.",
            "Data on more than 100,000 patients or clients.",
        )
    elif volume == 2:
        add(
            "volume",
            1,
            "Gegevens van 1.000 tot 100.000 patiënten of cliënten.",
            "Data on 1,000 to 100,000 patients or clients.",
        )

    foreign = answer("LOC-04")
    if foreign == "yes":
        add(
            "jurisdiction",
            2,
            "De moeder of een subverwerker valt onder niet-Europese wetgeving.",
            "The parent or a sub-processor is subject to non-European law.",
        )
    elif foreign == "partial" or facts.get("fourth_party.non_eu_parent"):
        add(
            "jurisdiction",
            1,
            "Een deel van de keten valt onder niet-Europese wetgeving.",
            "Part of the chain is subject to non-European law.",
        )

    copy = answer("BCK-05")
    if copy == "no":
        add(
            "copy",
            2,
            "Geen eigen kopie van de gegevens als de leverancier plotseling wegvalt.",
            "No independent copy of the data if the supplier fails abruptly.",
        )
    elif copy == "partial":
        add(
            "copy",
            1,
            "Slechts een gedeeltelijke eigen kopie van de gegevens.",
            "Only a partial independent copy of the data.",
        )

    logs = answer("LOG-03")
    if logs == "no":
        add(
            "logs",
            2,
            "NEN 7513-logs zijn niet te exporteren: logcontinuïteit in gevaar.",
            "NEN 7513 logs cannot be exported: log continuity at risk.",
        )
    elif logs == "partial":
        add(
            "logs",
            1,
            "NEN 7513-logs zijn deels te exporteren.",
            "NEN 7513 logs can partly be exported.",
        )

    if epd and answer("NL-02") == "no":
        add(
            "legacy",
            3,
            "Na de exit is de WGBO-bewaartermijn niet te halen.",
            "After the exit the WGBO retention period cannot be met.",
        )
    if cloud and answer("EXIT-05") == "no":
        add(
            "exit_costs",
            1,
            "Exitkosten zijn niet vooraf vastgelegd (Data Act art. 29).",
            "Exit costs are not fixed in advance (Data Act art. 29).",
        )

    score = sum(r.points for r in reasons)
    reasons.sort(key=lambda r: (-r.points, r.factor))
    return LockInResult(level_for(score), score, reasons)
