"""The risk pages: a relationship's risk, the risk appetite, due reassessments, fourth parties."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.core.jobs.models import Job
from questionnaires.models import RiskDecision
from suppliers.models import Relationship, RiskHistory
from suppliers.services import product_save, relationship_create, subprocessor_add
from tests.access import _appetite_form, _finding, _next_year, _relationship
from tests.conftest import client_for


def test_risk_page_explains_tier_score_knockouts_and_history(cast):
    world = _finding(cast)  # MINI: A-01 answered "no" → 0.0, poor, critical × poor = critical
    rel = world["relationship"]
    page = client_for(cast.board).get(reverse("relationship_risk", kwargs={"pk": rel.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Impact of a 24-hour outage: patient safety at risk or care stops." in body
    assert "Control score 0.0" in body
    assert 'class="kw-bar kw-bar-poor"' in body  # the section chart
    assert "MFA?" in body and ">100.0<" in body  # the answer that cost all the points
    assert "Assessment completed" in body and "Relationship registered" in body
    assert RiskHistory.objects.filter(relationship=rel).count() == 2
    assert "Propose to accept the residual risk" not in body  # the board decides, not proposes


def test_residual_risk_decision_from_the_risk_page_and_api(cast, as_api):
    rel = _relationship(cast)["relationship"]
    ciso = client_for(cast.ciso)
    r = ciso.post(
        reverse("decision_propose_residual", kwargs={"pk": rel.pk}),
        {"motivation": "Vervanging in 2027", "expires_on": _next_year()},
    )
    assert r.status_code == 302
    d = RiskDecision.objects.get(relationship=rel)
    assert (d.finding, d.accepted_level, d.status) == (None, "critical", "proposed")
    # A second proposal while the first waits: refused, nothing added.
    r = as_api(cast.ciso).post(
        reverse("relationship-decision", kwargs={"pk": rel.pk}),
        {"motivation": "Nog een", "expires_on": _next_year()},
        format="json",
    )
    assert r.status_code == 409 and RiskDecision.objects.count() == 1
    page = ciso.get(reverse("relationship_risk", kwargs={"pk": rel.pk})).content.decode()
    assert "Vervanging in 2027" in page
    register = ciso.get(reverse("decision_register") + "?kind=residual").content.decode()
    assert "Vervanging in 2027" in register
    register = ciso.get(reverse("decision_register") + "?kind=finding").content.decode()
    assert "Vervanging in 2027" not in register
    owner = cast.procurement.user.pk
    assert (
        "Vervanging in 2027"
        in ciso.get(f"{reverse('decision_register')}?owner={owner}").content.decode()
    )
    other = cast.ciso.user.pk
    assert (
        "Vervanging in 2027"
        not in ciso.get(f"{reverse('decision_register')}?owner={other}").content.decode()
    )


def test_appetite_page_saves_rescores_and_reports(cast, django_capture_on_commit_callbacks):
    rel = _relationship(cast)["relationship"]
    low = relationship_create(
        care_org=cast.hospital,
        supplier=rel.supplier,
        name="Printers",
        supplier_types=["other"],
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 2, "substitutability": 1},
        actor=cast.procurement.user,
    )
    before = low.inherent_tier
    ciso = client_for(cast.ciso)
    page = ciso.get(reverse("risk_appetite")).content.decode()
    assert 'name="matrix_critical_strong"' in page and 'value="11"' in page
    data = _appetite_form()  # high from a sum of 6 instead of 7
    with django_capture_on_commit_callbacks(execute=True):
        r = ciso.post(reverse("risk_appetite_save"), data)
    assert r.status_code == 302
    job = Job.objects.get(kind="rescore")
    assert r["Location"] == reverse("job_detail", kwargs={"pk": job.pk})
    assert (job.status, job.done, job.total) == ("done", 2, 2)  # eager in tests
    low.refresh_from_db()
    assert (before, low.inherent_tier) == ("medium", "high")
    assert "relationship changed" in ciso.get(r["Location"]).content.decode()


def test_appetite_page_refuses_bad_input_and_changes_nothing(cast):
    ciso = client_for(cast.ciso)
    data = {**_appetite_form(), "band_strong": "60", "matrix_low_poor": "extreme"}
    r = ciso.post(reverse("risk_appetite_save"), data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "Select a valid choice" in body
    data = {**_appetite_form(), "band_strong": "60"}
    r = ciso.post(reverse("risk_appetite_save"), data)
    assert r.status_code == 400
    assert "band_thresholds: strong &gt; adequate &gt; weak is required" in r.content.decode()
    cast.hospital.refresh_from_db()
    assert "risk_appetite" not in cast.hospital.settings
    assert not Job.objects.exists()
    viewer = client_for(cast.viewer).get(reverse("risk_appetite")).content.decode()
    assert "Only a security officer" in viewer and "Save and re-score" not in viewer


def test_reassessment_list(cast):
    rel = _relationship(cast)["relationship"]  # never assessed: listed
    ended = relationship_create(
        care_org=cast.hospital,
        supplier=rel.supplier,
        name="Oud systeem",
        supplier_types=["other"],
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
        actor=cast.procurement.user,
        status="ended",
    )
    later = relationship_create(
        care_org=cast.hospital,
        supplier=rel.supplier,
        name="Later",
        supplier_types=["other"],
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
        actor=cast.procurement.user,
    )
    Relationship.objects.filter(pk=later.pk).update(
        assessed=True, next_assessment_due=timezone.localdate() + timedelta(days=200)
    )
    client = client_for(cast.procurement)
    page = client.get(reverse("reassessment_list")).content.decode()
    assert "EPD" in page and "never assessed" in page
    assert "Oud systeem" not in page and "Later" not in page
    assert "Later" in client.get(reverse("reassessment_list") + "?within=365").content.decode()
    assert client.get(reverse("reassessment_list") + "?within=abc").status_code == 200
    assert ended.pk  # created, excluded above


def test_fourth_party_concentration_and_outside_eu(cast):
    rel = _relationship(cast)["relationship"]
    p1 = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD Cloud")
    subprocessor_add(
        product=p1,
        actor=cast.supplier_owner.user,
        name="Azure",
        service="Hosting",
        country="NL",
        parent_country="US",
        data_access=True,
    )
    from suppliers.models import SupplierLink

    SupplierLink.objects.create(care_org=cast.hospital, supplier=cast.other_supplier)
    p2 = product_save(
        supplier=cast.other_supplier, actor=cast.other_supplier_owner.user, name="Lab"
    )
    subprocessor_add(
        product=p2,
        actor=cast.other_supplier_owner.user,
        name="azure ",
        service="Opslag",
        country="IE",
    )
    rel.products.set([p1])
    rel2 = relationship_create(
        care_org=cast.hospital,
        supplier=cast.other_supplier,
        name="Labsysteem",
        supplier_types=["medical_device"],
        intake={"data": 3, "volume": 2, "continuity": 2, "access": 1, "substitutability": 2},
        actor=cast.procurement.user,
        products=[p2],
    )
    page = client_for(cast.viewer).get(reverse("fourth_parties")).content.decode()
    concentration = page[page.find("h-conc") : page.find("h-noneu")]
    assert "Azure" in concentration and "EPD" in concentration and rel2.name in concentration
    outside = page[page.find("h-noneu") :]
    assert "parent US" in outside and "EPD Cloud" in outside and "Lab<" not in outside
    # Another care organisation sees none of it.
    other = client_for(cast.other_care_admin).get(reverse("fourth_parties")).content.decode()
    assert "Azure" not in other


def test_risk_page_gives_tier_rules_in_words_not_formulas(cast):
    rel = _relationship(cast)["relationship"]  # S = 14, continuity 3, data and volume 3
    url = reverse("relationship_risk", kwargs={"pk": rel.pk})
    body = client_for(cast.ciso, lang="nl").get(url).content.decode()
    assert "(score 11 of hoger)" in body
    assert "(gegevens en volume beide 3)" in body
    assert "(continuïteit 3)" in body
    assert "S&gt;=" not in body and "data=3" not in body
