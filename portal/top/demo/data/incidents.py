"""A demo incident (DESIGN §13): the hosting platform behind WolkZorg's Zorgportaal is hit by
ransomware; WolkZorg reports it once; Ziekenhuis Rivierenland has acknowledged and assessed
its copy and ticked a duty, Zorgcentrum De Linde has not looked yet."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core.accounts.models import Membership, Organisation
from questionnaires.assessments import answer_save, assessment_submit
from questionnaires.models import RapidAssessment
from questionnaires.rapid.services import rapid_assessment_start, rapid_send_run
from suppliers.incidents.models import Incident
from suppliers.incidents.services import (
    duty_set,
    impact_assess,
    incident_acknowledge,
    incident_report,
    incident_update,
)
from suppliers.models import Product, Relationship
from suppliers.services import relationship_update

TITLE = "Ransomware bij de hostingpartij van Zorgportaal"


def load_incidents(orgs: dict[str, Organisation]) -> None:
    wolkzorg = orgs["wolkzorg"]
    if Incident.objects.filter(supplier=wolkzorg, title=TITLE).exists():
        return
    product = Product.objects.filter(supplier=wolkzorg, name="Zorgportaal").first()
    if product is None:
        return
    owner = Membership.objects.filter(organisation=wolkzorg, role="owner").first().user
    for rel in Relationship.objects.filter(products=product).exclude(status="active"):
        relationship_update(relationship=rel, actor=None, status="active")
    incident = incident_report(
        supplier=wolkzorg,
        actor=owner,
        title=TITLE,
        description=(
            "Onze hostingpartij (Azure-regio West-Europa, beheerd door een Nederlandse partner) "
            "meldt versleutelde beheerservers. Zorgportaal is sinds 06:10 niet bereikbaar; er "
            "zijn aanwijzingen dat een back-up met cliëntgegevens is ingezien. Wij onderzoeken "
            "de omvang samen met de hostingpartij."
        ),
        products=[product],
        detected_at=timezone.now() - timedelta(hours=30),
        health_data=True,
        availability=True,
    )
    incident_update(
        incident=incident,
        actor=owner,
        kind="notification",
        text=(
            "Incidentmelding: de aanvaller had toegang tot de beheeromgeving van 02:40 tot 06:10. "
            "Zorgportaal draait weer vanaf de uitwijklocatie; gegevens van vóór 02:00 zijn "
            "hersteld. Forensisch onderzoek loopt; eindrapport volgt."
        ),
    )
    copy = incident.recipients.filter(care_org=orgs["rivierenland"]).first()
    if copy is None:
        return
    ciso = Membership.objects.filter(organisation=orgs["rivierenland"], role="security").first()
    incident_acknowledge(recipient=copy, actor=ciso.user)
    impact_assess(
        recipient=copy,
        actor=ciso.user,
        affected="yes",
        patient_care_impact="Afsprakenportaal een ochtend niet beschikbaar; poli's belden "
        "patiënten na. Geen invloed op de spoedzorg.",
        notes="Nagaan of de ingeziene back-up onze cliënten bevat; FG is ingelicht.",
    )
    zcert = copy.duties.filter(key="zcert").first()
    if zcert is not None:
        duty_set(duty=zcert, actor=ciso.user, done=True)


# What MedDossier answered to the rapid questionnaire about Azure (the other supplier has not).
RAPID_ANSWERS = {
    "KI-01": "no",
    "KI-06": "Mira de Groot, security officer, 030 123 45 67, security@meddossier.example",
}


def load_rapid(orgs: dict[str, Organisation]) -> None:
    """Ziekenhuis Rivierenland asks every supplier behind Azure (Microsoft) — MedDossier and
    WolkZorg — the rapid questionnaire; MedDossier has answered (not affected), WolkZorg not."""
    care = orgs["rivierenland"]
    if RapidAssessment.objects.filter(care_org=care).exists():
        return
    ciso = Membership.objects.filter(organisation=care, role="security").first()
    if ciso is None:
        return
    try:
        rapid = rapid_assessment_start(
            care_org=care, actor=ciso.user, fourth_party="Azure (Microsoft)"
        )
    except ValidationError:
        return  # nothing live behind Azure in this demo
    rapid_send_run(job=rapid.job)  # at once; the queued run then finds everything handled
    answered = rapid.assessments.filter(relationship__supplier=orgs["meddossier"]).first()
    if answered is None:
        return
    respondent = Membership.objects.filter(organisation=orgs["meddossier"]).first().user
    for code, value in RAPID_ANSWERS.items():
        answer_save(assessment=answered, code=code, value=value, actor=respondent)
    assessment_submit(assessment=answered, actor=respondent)
