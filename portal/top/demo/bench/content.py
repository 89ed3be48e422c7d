"""What the benchmark portfolio is made of: names, the questionnaire and plausible answers."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from questionnaires.models import Question

TEMPLATE_KEY = "bench-vragenlijst"
# The state of each relationship's latest assessment, cycled so that a small run has every
# state too; the earlier rounds are completed (and now and then cancelled).
LATEST_STATES = (
    "in_progress completed sent submitted completed in_review draft in_progress completed "
    "clarification_requested sent submitted completed cancelled in_progress sent completed "
    "submitted in_review draft"
).split()
FULLY_ANSWERED = ("submitted", "in_review", "clarification_requested")
THEMES = [
    ("Informatiebeveiligingsbeleid", "information security policy"),
    ("Toegangsbeheer", "access control"),
    ("Logging (NEN 7513)", "logging (NEN 7513)"),
    ("Cryptografie", "cryptography"),
    ("Back-up en herstel", "backup and recovery"),
    ("Incidentmelding", "incident notification"),
    ("Subverwerkers", "sub-processors"),
    ("Veilige ontwikkeling", "secure development"),
    ("Kwetsbaarheden en SBOM", "vulnerabilities and SBOM"),
    ("Continuïteit", "continuity"),
    ("Privacy (AVG art. 28)", "privacy (GDPR art. 28)"),
    ("Fysieke beveiliging", "physical security"),
    ("Personeel", "personnel"),
    ("Netwerkbeveiliging", "network security"),
    ("Exit en dataportabiliteit", "exit and data portability"),
]
PROMPTS = [
    (
        "Heeft u voor %s een vastgesteld en actueel beleid?",
        "Is there an approved, current %s policy?",
    ),
    ("Wordt %s jaarlijks onafhankelijk getoetst?", "Is %s tested independently every year?"),
    ("Is er een eigenaar benoemd voor %s?", "Is someone made responsible for %s?"),
    ("Rapporteert u afwijkingen in %s aan de klant?", "Do you report deviations in %s?"),
    ("Zijn de maatregelen voor %s gedocumenteerd?", "Are the %s measures documented?"),
]
# Question types by position in a section; position 0 is the yes/no question others depend on.
TYPES = (
    ["yes_no", "yes_partial_no", "yes_partial_no", "single_choice", "yes_partial_no"]
    + ["multiple_choice", "yes_no", "yes_partial_no", "number", "yes_partial_no"]
    + ["date", "yes_partial_no", "text", "yes_partial_no", "yes_no"]
    + ["yes_partial_no", "single_choice", "yes_partial_no", "number", "yes_partial_no"]
)
COMPANY_WORDS = ["Zorg", "Med", "Wolk", "Data", "Lab", "Care", "Net", "Beheer", "Cura", "Vita"]
COMPANY_TAILS = ["Systems", "Cloud", "Solutions", "IT", "Connect", "Services", "Software"]
SUPPLIER_TYPES = ["epd", "cloud", "it_services", "medical_device", "other"]
# Fourth parties (name, service, country, parent country, data access); several are shared.
FOURTH_PARTIES = [
    ("Azure (Microsoft)", "Hosting", "NL", "US", True),
    ("Amazon Web Services", "Hosting", "DE", "US", True),
    ("Google Cloud", "Opslag", "BE", "US", True),
    ("Zivver", "Beveiligde e-mail", "NL", "", True),
    ("TeamViewer", "Beheer op afstand", "DE", "", False),
    ("Cloudflare", "DDoS-bescherming", "US", "US", False),
    ("Leaseweb", "Datacenter", "NL", "", True),
    ("OVHcloud", "Back-up", "FR", "", True),
    ("Twilio", "Sms-berichten", "US", "US", False),
    ("Salesforce", "Klantcontact", "IE", "US", True),
]
TEXT_ANSWERS = [
    "Zie ons informatiebeveiligingsbeleid, hoofdstuk 3.",
    "Vastgelegd in de procedure incidentbeheer (versie 2026).",
    "Jaarlijks getoetst door onze externe auditor.",
]


def pick(rng: random.Random, weighted: list[tuple[object, int]]):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


def questionnaire_data(n: int) -> dict:
    """A valid questionnaire of n questions over up to 15 sections, every answer type but file."""
    n_sections = max(1, min(len(THEMES), n // 20 or 1))
    sections = []
    for s in range(n_sections):
        theme_nl, theme_en = THEMES[s]
        size = n // n_sections + (1 if s < n % n_sections else 0)
        code0 = f"B{s:02d}-00"
        questions = []
        for p in range(size):
            kind = TYPES[p % len(TYPES)]
            prompt_nl, prompt_en = PROMPTS[p % len(PROMPTS)]
            q = {
                "code": f"B{s:02d}-{p:02d}",
                "text": {
                    "nl": f"{prompt_nl % theme_nl.lower()} ({p + 1})",
                    "en": f"{prompt_en % theme_en} ({p + 1})",
                },
                "type": kind,
                "weight": 1 + p % 3,
                "knockout": p == 1,
                "severity": ("low", "medium", "high", "critical")[p % 4],
                "evidence": "optional" if p % 5 == 2 else "none",
                "na_allowed": p % 6 == 5,
                "references": ["NEN7510-2:5.19"],
                "advice": {"nl": "Leg dit vast en toets het jaarlijks.", "en": "Document it."},
            }
            if kind in ("single_choice", "multiple_choice"):
                q["choices"] = [
                    {"value": v, "label": {"nl": nl, "en": en}, "score": score}
                    for v, nl, en, score in (
                        ("full", "Volledig", "Fully", 1),
                        ("most", "Grotendeels", "Mostly", 0.6),
                        ("none", "Niet", "Not", 0),
                    )
                ]
            if kind in ("number", "date"):
                q["bands"] = [{"lte": 12, "score": 1}, {"lte": 24, "score": 0.5}]
            if p % 7 == 3:  # a follow-up, shown when the section's first question is answered yes
                q["show_if"] = {"fact": f"answer.{code0}", "op": "eq", "value": "yes"}
            questions.append(q)
        sections.append(
            {"code": f"B{s:02d}", "title": {"nl": theme_nl, "en": theme_en}, "questions": questions}
        )
    return {
        "key": TEMPLATE_KEY,
        "version": 1,
        "title": {"nl": "Benchmarkvragenlijst", "en": "Benchmark questionnaire"},
        "description": {"nl": "Gegenereerd door seed_bench.", "en": "Made by seed_bench."},
        "sections": sections,
    }


def answer_value(rng: random.Random, q: Question, today: date, *, controller_yes: bool = False):
    """A plausible answer for the question's type (mostly good, sometimes partial or no)."""
    if q.na_allowed and rng.random() < 0.05:
        return "na"
    kind = q.answer_type
    if kind == "yes_no":
        return "yes" if controller_yes or rng.random() < 0.85 else "no"
    if kind == "yes_partial_no":
        return pick(rng, [("yes", 65), ("partial", 25), ("no", 10)])
    values = [c["value"] for c in q.choices]
    if kind == "single_choice":
        return pick(rng, [(values[0], 6), (values[1], 3), (values[-1], 1)])
    if kind == "multiple_choice":
        return sorted(rng.sample(values, rng.randint(1, 2)))
    if kind == "number":
        return rng.randint(1, 36)
    if kind == "date":
        return (today - timedelta(days=rng.randint(0, 700))).isoformat()
    return rng.choice(TEXT_ANSWERS)
