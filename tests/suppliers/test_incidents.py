"""Incidents in the chain (DESIGN §13): a supplier reports once, exactly the affected care
organisations get their own copy, the NIS2 clock runs, each customer assesses its own impact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.core.accounts.services import member_add, organisation_create
from portal.core.notifications.models import Notification
from portal.top.daily import daily_run
from suppliers.incidents import services
from suppliers.incidents.clock import add_month, nis2_deadlines
from suppliers.incidents.models import Incident
from suppliers.services import product_save, relationship_create, supplier_register
from tests.access import _incident
from tests.conftest import PASSWORD, client_for

INTAKE = {"data": 3, "volume": 2, "continuity": 2, "access": 1, "substitutability": 1}


def _customer(cast, slug, name, product, status="active", supplier=None):
    org = organisation_create(slug=slug, name=name, kind="care")
    ciso = member_add(
        organisation=org, email=f"ciso@{slug}.test", role="security", password=PASSWORD
    )
    link = supplier_register(
        care_org=org, name="Leverancier B.V.", kvk_number="12345678", actor=ciso.user
    )
    rel = relationship_create(
        care_org=org,
        supplier=supplier or link.supplier,
        name=f"{name} EPD",
        supplier_types=["epd"],
        intake=INTAKE,
        actor=ciso.user,
        products=[product] if product else (),
        status=status,
    )
    return org, ciso, rel


def _report(cast, products, **extra):
    return services.incident_report(
        supplier=cast.supplier,
        actor=cast.respondent.user,
        title="Storing bij hosting",
        description="De hostingpartij is getroffen door ransomware.",
        products=products,
        detected_at=extra.pop("detected_at", timezone.now()),
        **extra,
    )


def test_delivered_to_exactly_the_live_relationships_covering_a_product(cast):
    epd = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    portal = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="Portaal")
    hit, _c, hit_rel = _customer(cast, "a", "Zorg A", epd)
    ending, _c, _r = _customer(cast, "b", "Zorg B", epd, status="ending")
    prospect, _c, _r = _customer(cast, "c", "Zorg C", epd, status="prospect")
    ended, _c, _r = _customer(cast, "d", "Zorg D", epd, status="ended")
    other_product, _c, _r = _customer(cast, "e", "Zorg E", portal)
    incident = _report(cast, [epd])
    assert set(incident.recipients.values_list("care_org__slug", flat=True)) == {"a", "b"}
    copy = incident.recipients.get(care_org=hit)
    assert list(copy.relationships.all()) == [hit_rel]
    # each copy has the care organisation's duties with their clocks
    # no health data and no availability: Z-CERT and the Cbw early warning only
    assert set(copy.duties.values_list("key", flat=True)) == {"zcert", "cbw"}
    for org in (prospect, ended, other_product, cast.other_care):
        assert not Incident.objects.filter(recipients__care_org=org).exists()


def test_a_care_organisation_sees_only_its_own_copy_and_others_get_404(cast, as_api):
    world = _incident(cast)
    incident = world["incident"]
    other = client_for(cast.other_care_ciso)
    assert other.get(reverse("incident_detail", args=[incident.pk])).status_code == 404
    assert as_api(cast.other_care_ciso).get(f"/api/v1/incidents/{incident.pk}/").status_code == 404
    assert (
        as_api(cast.other_supplier_owner).get(f"/api/v1/incidents/{incident.pk}/").status_code
        == 404
    )
    listed = as_api(cast.other_care_ciso).get("/api/v1/incidents/").json()
    assert listed["count"] == 0


def test_the_nis2_clock_runs_from_detection():
    detected = datetime(2027, 1, 31, 9, 30, tzinfo=UTC)
    assert nis2_deadlines(detected) == {
        "early_warning": datetime(2027, 2, 1, 9, 30, tzinfo=UTC),
        "notification": datetime(2027, 2, 3, 9, 30, tzinfo=UTC),
        "final_report": datetime(2027, 2, 28, 9, 30, tzinfo=UTC),  # one calendar month
    }
    assert add_month(datetime(2027, 12, 15, tzinfo=UTC)) == datetime(2028, 1, 15, tzinfo=UTC)


def test_bad_reports_change_nothing(cast):
    from django.core.exceptions import ValidationError

    epd = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    foreign = product_save(
        supplier=cast.other_supplier, actor=cast.other_supplier_owner.user, name="X"
    )
    for kwargs in (
        {"products": [foreign]},
        {"products": []},
        {"products": [epd], "detected_at": timezone.now() + timedelta(days=2)},
        {"products": [epd], "title": "  "},
    ):
        title = kwargs.pop("title", "Storing")
        with pytest.raises(ValidationError):
            services.incident_report(
                supplier=cast.supplier,
                actor=cast.respondent.user,
                title=title,
                description="x",
                detected_at=kwargs.pop("detected_at", timezone.now()),
                **kwargs,
            )
    assert not Incident.objects.exists()


def test_stage_reminders_go_out_once_before_each_deadline(cast, django_capture_on_commit_callbacks):
    epd = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    detected = timezone.now()
    incident = _report(cast, [epd], detected_at=detected)
    kinds = lambda: Notification.objects.filter(kind="incident.stage_due").count()  # noqa: E731
    with time_machine.travel(detected + timedelta(hours=14), tick=False):
        daily_run(today=timezone.localdate())
        daily_run(today=timezone.localdate())  # beat and cron: still once
    # early warning is the report itself; the notification (72 h) is not near yet
    assert kinds() == 0
    with time_machine.travel(detected + timedelta(hours=62), tick=False):
        daily_run(today=timezone.localdate())
        daily_run(today=timezone.localdate())
    # the owner and the respondent who reported it, once each
    assert kinds() == 2
    services.incident_update(
        incident=incident, actor=cast.respondent.user, kind="notification", text="Melding"
    )
    with time_machine.travel(detected + timedelta(days=28), tick=False):
        daily_run(today=timezone.localdate())
    assert kinds() == 4  # the final report is due within the month
    services.incident_update(
        incident=incident, actor=cast.respondent.user, kind="closed", text="Opgelost"
    )
    with time_machine.travel(detected + timedelta(days=31), tick=False):
        assert daily_run(today=timezone.localdate())["incident_stage_reminders"] == 0


def test_stages_only_move_on_and_a_closed_incident_takes_no_more(cast):
    from portal.core.exceptions import Conflict

    incident = _incident(cast)["incident"]
    services.incident_update(
        incident=incident, actor=cast.respondent.user, kind="final_report", text="Eind"
    )
    with pytest.raises(Conflict):
        services.incident_update(
            incident=incident, actor=cast.respondent.user, kind="notification", text="Te laat"
        )
    services.incident_update(
        incident=incident, actor=cast.respondent.user, kind="closed", text="Dicht"
    )
    with pytest.raises(Conflict):
        services.incident_update(
            incident=incident, actor=cast.respondent.user, kind="update", text="Nog iets"
        )
    incident.refresh_from_db()
    assert incident.stage == "closed" and incident.closed_at is not None


def test_a_hostile_attachment_is_refused_and_nothing_is_added(cast):
    from portal.core.uploads import UploadRefused

    incident = _incident(cast)["incident"]
    fake = SimpleUploadedFile(
        "rapport.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(UploadRefused):
        services.incident_update(
            incident=incident, actor=cast.respondent.user, kind="update", text="x", file=fake
        )
    assert not incident.updates.exists()


def test_acknowledge_assess_and_tick_duties_then_the_timeline_tells_it(cast):
    world = _incident(cast)
    incident, recipient = world["incident"], world["recipient"]
    ciso = client_for(cast.ciso)
    url = reverse("incident_detail", args=[incident.pk])
    page = ciso.get(url).content.decode()
    assert "Report the personal data breach to the Autoriteit Persoonsgegevens" in page
    ciso.post(reverse("incident_acknowledge", args=[incident.pk]))
    ciso.post(
        reverse("incident_impact", args=[incident.pk]),
        {
            "affected": "yes",
            "patient_care_impact": "Polikliniek werkt op papier",
            "notes": "Intern",
        },
    )
    duty = recipient.duties.get(key="ap_breach")
    ciso.post(reverse("incident_duty", args=[incident.pk, duty.pk]), {"action": "done"})
    recipient.refresh_from_db()
    duty.refresh_from_db()
    assert recipient.acknowledged_by == cast.ciso.user and recipient.affected == "yes"
    assert duty.done_by == cast.ciso.user and duty.done_at is not None
    page = ciso.get(url).content.decode()
    for step in (
        "Acknowledged",
        "Impact assessed",
        "Duty updated: Report the personal data breach",
    ):
        assert step in page
    # the supplier sees who acknowledged, never the customer's own assessment
    supplier_page = client_for(cast.supplier_owner).get(url).content.decode()
    assert "Ziekenhuis Test" in supplier_page and "acknowledged on" in supplier_page
    for internal in (
        "Polikliniek werkt op papier",
        "Intern",
        "Autoriteit Persoonsgegevens",
        "Impact assessed",
    ):
        assert internal not in supplier_page


def test_mark_an_affected_relationship_due_for_reassessment(cast):
    world = _incident(cast)
    client_for(cast.ciso).post(
        reverse("incident_mark_due", args=[world["incident"].pk, world["relationship"].pk])
    )
    world["relationship"].refresh_from_db()
    assert world["relationship"].next_assessment_due == timezone.localdate()
    assert "Ransomware bij hosting" in world["relationship"].due_reason


def test_notices_reach_security_officers_and_owners_and_the_board_for_critical(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = _incident(cast)  # the hospital's relationship is critical (data 3, volume 3 …)
    received = set(
        Notification.objects.filter(kind="incident.reported").values_list("user__email", flat=True)
    )
    # security officer, the relationship's owner (procurement), the board (critical tier)
    assert received == {"ciso@zh.test", "inkoop@zh.test", "bestuur@zh.test"}
    assert world["relationship"].inherent_tier == "critical"


def test_api_as_a_client_reports_acknowledges_and_assesses(cast, as_api):
    epd = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    world = _incident(cast)  # gives the hospital a live relationship; add the new product
    world["relationship"].products.add(epd)
    supplier = as_api(cast.respondent)
    detected = timezone.now().replace(microsecond=0)
    created = supplier.post(
        "/api/v1/incidents/",
        {
            "title": "Datalek",
            "description": "Een export stond open.",
            "products": [epd.pk],
            "detected_at": detected.isoformat(),
            "health_data": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "early_warning" and body["recipients"] == 1
    assert body["deadlines"]["notification"].startswith(
        timezone.localtime(detected + timedelta(hours=72)).isoformat()[:16]
    )
    care = as_api(cast.ciso)
    one = care.get(f"/api/v1/incidents/{body['id']}/").json()
    assert one["relationships"] == [world["relationship"].pk] and one["acknowledged_at"] is None
    assert care.post(f"/api/v1/incidents/{body['id']}/acknowledge/").json()["acknowledged_at"]
    assessed = care.patch(
        f"/api/v1/incidents/{body['id']}/impact/",
        {"affected": "no"},
        content_type="application/json",
    )
    assert assessed.status_code == 200 and assessed.json()["impact"]["affected"] == "no"
    seen = supplier.get(f"/api/v1/incidents/{body['id']}/").json()
    assert seen["acknowledgements"][0]["organisation"] == "Ziekenhuis Test"
    assert seen["impact"] is None  # never the customer's assessment
    bad = supplier.post("/api/v1/incidents/", {"title": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "products" in bad.json()["errors"]
    assert care.post("/api/v1/incidents/", {}, content_type="application/json").status_code == 403


def test_the_supplier_incident_page_costs_the_same_queries_for_any_number_of_customers(cast):
    small = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="Klein")
    large = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="Groot")
    for n in range(2):
        _customer(cast, f"s{n}", f"Klein {n}", small, supplier=cast.supplier)
    for n in range(9):
        _customer(cast, f"g{n}", f"Groot {n}", large, supplier=cast.supplier)
    client = client_for(cast.supplier_owner)
    counts = []
    for product in (small, large):
        incident = _report(cast, [product])
        client.get(reverse("incident_detail", args=[incident.pk]))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("incident_detail", args=[incident.pk]))
        assert page.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_incident_events_carry_plain_data_for_their_subscribers(cast):
    import json

    from portal.core import events

    world = _incident(cast)
    reported = events._EVENTS["incident.reported"].build_data(
        incident=world["incident"], actor=cast.respondent.user
    )
    assert reported["care_organisations"] == [cast.hospital.pk]
    assert reported["stage"] == "early_warning"
    acknowledged = events._EVENTS["incident.acknowledged"].build_data(
        recipient=world["recipient"], actor=cast.ciso.user
    )
    text = json.dumps([reported, acknowledged])
    assert "affected" not in text and "notes" not in text  # nothing of the customer's assessment


def test_open_incidents_show_on_the_security_and_board_homes_of_recipients_only(cast):
    """Issue 19 item 9: the chain's open incidents on the homes of those who must act."""
    from django.urls import reverse  # noqa: PLC0415

    from suppliers.incidents.models import Incident  # noqa: PLC0415
    from tests.access import _relationship  # noqa: PLC0415
    from tests.conftest import client_for  # noqa: PLC0415

    epd = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    rel = _relationship(cast)["relationship"]
    rel.products.add(epd)
    type(rel).objects.filter(pk=rel.pk).update(status="active")  # a live relationship
    incident = _report(cast, [epd])
    assert incident.recipients.filter(care_org=cast.hospital).exists()
    for who in ("ciso", "board", "care_admin"):
        page = client_for(cast.membership(who)).get(reverse("home")).content.decode()
        assert incident.title in page, who
    other = client_for(cast.other_care_ciso).get(reverse("home")).content.decode()
    assert incident.title not in other
    Incident.objects.filter(pk=incident.pk).update(stage="closed")
    page = client_for(cast.ciso).get(reverse("home")).content.decode()
    assert incident.title not in page and "No open incidents at your suppliers." in page
