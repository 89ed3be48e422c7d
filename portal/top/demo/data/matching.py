"""Demo data for question matching (DESIGN §14): Zorgcentrum De Linde imported its own short
list of questions, confirmed which bank question each asks the same as, and sent it to
WolkZorg; WolkZorg's answer library prefills what it answered before, for it to confirm."""

from __future__ import annotations

from portal.core.accounts.models import Organisation
from questionnaires import assessments as svc
from questionnaires.matching import match_texts
from questionnaires.matching.equivalents import bank_template, question_equivalents_set
from questionnaires.models import QuestionnaireTemplate
from questionnaires.services import template_import, template_publish
from questionnaires.yaml_io import validate_questionnaire
from suppliers.models import Relationship

KEY = "de-linde-korte-lijst"
QUESTIONS = [
    (
        "DL-1",
        "Moeten uw medewerkers inloggen met een tweede factor?",
        "Do your staff log in with a second factor?",
    ),
    (
        "DL-2",
        "Maakt u elke dag een reservekopie van onze gegevens?",
        "Do you back up our data every day?",
    ),
    (
        "DL-3",
        "Tekent u een verwerkersovereenkomst met ons?",
        "Will you sign a processor agreement with us?",
    ),
    (
        "DL-4",
        "Hoe snel informeert u ons bij een datalek?",
        "How soon do you inform us of a data breach?",
    ),
    (
        "DL-5",
        "Hebben uw medewerkers een geheimhoudingsverklaring getekend?",
        "Have your staff signed a confidentiality undertaking?",
    ),
    (
        "DL-6",
        "Hoeveel parkeerplaatsen heeft u voor onze medewerkers?",
        "How many parking spaces do you have for our staff?",
    ),
]


def load_matching(orgs: dict[str, Organisation]) -> None:
    care = orgs["de-linde"]
    bank = bank_template()
    if bank is None or QuestionnaireTemplate.objects.filter(key=KEY, owner=care).exists():
        return
    ciso = care.memberships.filter(role="security").select_related("user").first()
    buyer = care.memberships.filter(role="procurement").select_related("user").first()
    data = {
        "key": KEY,
        "version": 1,
        "title": {"nl": "Korte lijst De Linde", "en": "De Linde's short list"},
        "description": {"nl": "Onze eigen vragen, ingelezen uit ons spreadsheet.", "en": ""},
        "sections": [
            {
                "code": "A",
                "title": {"nl": "Onze vragen", "en": "Our questions"},
                "questions": [
                    {"code": code, "text": {"nl": nl, "en": en}, "type": "yes_no"}
                    for code, nl, en in QUESTIONS
                ],
            }
        ],
    }
    template = template_import(data=validate_questionnaire(data), owner=care, actor=ciso.user)
    proposals = match_texts([nl for _c, nl, _e in QUESTIONS], template=bank)
    question_equivalents_set(
        template=template,
        equivalents={
            code: m.best or "" for (code, _n, _e), m in zip(QUESTIONS, proposals, strict=True)
        },
        actor=ciso.user,
    )
    template = template_publish(template=template, actor=ciso.user)
    rel = Relationship.objects.filter(care_org=care, name="Cliëntdossier in de cloud").first()
    if rel is None:
        return
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=buyer.user,
        message="Onze eigen korte lijst; veel heeft u al eens beantwoord.",
    )  # fmt: skip
    svc.assessment_send(assessment=a, actor=buyer.user)
