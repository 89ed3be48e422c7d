"""A demo incident (DESIGN §13): the hosting platform behind WolkZorg's Zorgportaal is hit by
ransomware; WolkZorg reports it once; Ziekenhuis Rivierenland has acknowledged and assessed
its copy and ticked a duty, Zorgcentrum De Linde has not looked yet."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.core.accounts.models import Membership, Organisation
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
