"""Rapid questionnaires (DESIGN §13 item 6): every live relationship behind a fourth party, a
product or a selection gets the shipped `ketenincident` questionnaire in one job; the board
counts answers, reminds once after 24 hours, exports and summarises."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.core import events
from portal.core.jobs.models import Job
from portal.core.notifications.models import Notification
from portal.top.daily import daily_run
from questionnaires import assessments as svc
from questionnaires.models import Assessment, RapidAssessment
from questionnaires.rapid import selectors
from questionnaires.rapid.services import rapid_assessment_start
from suppliers import reach
from suppliers.services import (
    product_save,
    relationship_create,
    subprocessor_add,
    supplier_register,
)
from tests.access import _rapid
from tests.conftest import client_for

INTAKE = {"data": 2, "volume": 2, "continuity": 2, "access": 1, "substitutability": 1}


def _supplier(cast, care_org, name, party, status="active", actor=None):
    link = supplier_register(
        care_org=care_org, name=name, kvk_number="87654321", actor=actor or cast.procurement.user
    )
    product = product_save(supplier=link.supplier, actor=actor or cast.procurement.user, name=name)
    if party:
        subprocessor_add(
            product=product,
            actor=cast.procurement.user,
            name=party,
            service="hosting",
            country="NL",
        )
    rel = relationship_create(
        care_org=care_org,
        supplier=link.supplier,
        name=f"{name} dienst",
        supplier_types=["cloud"],
        intake=INTAKE,
        actor=actor or cast.procurement.user,
        products=[product],
        status=status,
    )
    return rel


def test_normalised_names_match_the_way_people_write_them():
    assert reach.normalise_name("Microsoft Azure B.V.") == reach.normalise_name("microsoft  azure")
    assert reach.normalise_name("Bäckerei GmbH") == "backerei"
    assert reach.normalise_name("") == ""


def test_fourth_party_reaches_exactly_the_live_relationships_behind_it(cast):
    a = _supplier(cast, cast.hospital, "Alfa", "Azure Cloud B.V.")
    b = _supplier(cast, cast.hospital, "Beta", "azure cloud")
    _supplier(cast, cast.hospital, "Gamma", "Other Hosting")
    _supplier(cast, cast.hospital, "Delta", "Azure Cloud", status="ended")
    ids = reach.relationship_ids_behind_fourth_party(care_org=cast.hospital, name="Azure Cloud")
    assert ids == sorted([a.pk, b.pk])


def test_one_job_sends_to_all_and_the_board_counts_the_answers(
    cast, django_capture_on_commit_callbacks
):
    a = _supplier(cast, cast.hospital, "Alfa", "Azure")
    b = _supplier(cast, cast.hospital, "Beta", "Azure")
    with django_capture_on_commit_callbacks(execute=True):
        rapid = rapid_assessment_start(
            care_org=cast.hospital, actor=cast.ciso.user, fourth_party="azure"
        )
    job = Job.objects.get(pk=rapid.job_id)
    assert job.kind == "rapid_assessment" and job.status == "done" and job.progress == 100
    rapid.refresh_from_db()
    assert rapid.status == "open" and rapid.assessments.count() == 2
    assert set(rapid.assessments.values_list("status", flat=True)) == {"sent"}
    assert {x.template.key for x in rapid.assessments.all()} == {"ketenincident"}
    board = selectors.board(rapid)
    assert board["counts"] == {"affected": 0, "not_affected": 0, "no_answer": 2}
    # Alfa answers: affected; the round is not complete until Beta answers too
    first = rapid.assessments.get(relationship=a)
    for code, value in (("KI-01", "yes"), ("KI-03", "health"), ("KI-06", "=HYPERLINK(1)")):
        svc.answer_save(assessment=first, code=code, value=value, actor=cast.procurement.user)
    svc.assessment_submit(assessment=first, actor=cast.procurement.user)
    rapid.refresh_from_db()
    assert selectors.board(rapid)["counts"] == {"affected": 1, "not_affected": 0, "no_answer": 1}
    assert rapid.status == "open"
    second = rapid.assessments.get(relationship=b)
    for code, value in (("KI-01", "no"), ("KI-06", "Jan, 010-1234567")):
        svc.answer_save(assessment=second, code=code, value=value, actor=cast.procurement.user)
    with django_capture_on_commit_callbacks(execute=True):
        svc.assessment_submit(assessment=second, actor=cast.procurement.user)
    rapid.refresh_from_db()
    assert rapid.status == "completed" and rapid.completed_at is not None
    data = events._EVENTS["rapid_assessment.completed"].build_data(rapid=rapid)
    assert data == {
        "rapid": rapid.pk,
        "care_organisation": cast.hospital.pk,
        "status": "completed",
        "relationships": 2,
        "completed_at": rapid.completed_at.isoformat(),
    }
    assert Notification.objects.filter(
        kind="rapid_assessment.completed", user=cast.ciso.user
    ).exists()
    # the spreadsheet is formula-safe; the PDF is one page
    ciso = client_for(cast.ciso)
    sheet = load_workbook(io.BytesIO(ciso.get(reverse("rapid_export", args=[rapid.pk])).content))
    cells = [c.value for row in sheet.active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    pdf = client_for(cast.board).get(reverse("rapid_summary", args=[rapid.pk])).content
    assert pdf.startswith(b"%PDF") and re.search(rb"/Count 1\b", pdf)


def test_reminders_after_24_hours_go_out_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rapid = _rapid(cast)["rapid"]
    assert rapid.assessments.count() == 1
    daily_run(today=timezone.localdate())
    assert not Notification.objects.filter(kind="rapid_assessment.reminder").exists()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        daily_run(today=timezone.localdate())
        daily_run(today=timezone.localdate())
    reminded = list(
        Notification.objects.filter(kind="rapid_assessment.reminder").values_list(
            "user__email", flat=True
        )
    )
    assert sorted(reminded) == sorted({cast.supplier_owner.user.email, cast.respondent.user.email})


@pytest.mark.parametrize(
    "post",
    [
        {"pick": "fourth_party", "fourth_party": "Nobody Hosting", "relationships": "REL"},
        {"pick": "product", "product": "999999"},
        {"pick": "selection"},
        {"pick": "fourth_party", "fourth_party": "Azure"},
        {
            "pick": "fourth_party",
            "fourth_party": "Azure",
            "relationships": "REL",
            "due_date": "2001-01-01",
        },
        {"pick": "fourth_party", "fourth_party": "Azure", "relationships": "REL", "due_date": "x"},
    ],
)
def test_bad_starts_change_nothing(cast, post):
    rel = _supplier(cast, cast.hospital, "Alfa", "Azure")
    confirmed = post["pick"] == "fourth_party"
    data = {**post, **({"confirm": "1"} if confirmed else {})}
    if data.get("relationships") == "REL":
        data["relationships"] = str(rel.pk)
    response = client_for(cast.ciso).post(reverse("rapid_start"), data)
    back = reverse("rapid_preview") if confirmed else reverse("rapid_list")
    assert response.status_code == 302 and response["Location"].split("?")[0] == back
    assert not RapidAssessment.objects.exists() and not Assessment.objects.exists()


def test_another_care_organisations_relationships_are_never_reached(cast):
    other = _supplier(cast, cast.other_care, "Alfa", "Azure", actor=cast.other_care_admin.user)
    own = _supplier(cast, cast.hospital, "Beta", "Azure")
    rapid = rapid_assessment_start(
        care_org=cast.hospital, actor=cast.ciso.user, relationships=[other.pk, own.pk]
    )
    assert list(rapid.relationships.values_list("pk", flat=True)) == [own.pk]


def test_api_starts_and_reads_a_round(cast, as_api, django_capture_on_commit_callbacks):
    world = _rapid(cast)
    api = as_api(cast.ciso)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("rapid-assessment-list"), {"product": world["product"].pk}, format="json"
        )
    assert response.status_code == 202 and response.json()["relationships"] == 1
    body = api.get(reverse("rapid-assessment-detail", args=[response.json()["id"]])).json()
    assert body["total"] == 1 and body["no_answer"] == 1 and len(body["assessments"]) == 1
    bad = api.post(
        reverse("rapid-assessment-list"), {"fourth_party": "A", "product": 1}, format="json"
    )
    assert bad.status_code == 400
    assert (
        as_api(cast.other_care_ciso)
        .get(reverse("rapid-assessment-detail", args=[world["rapid"].pk]))
        .status_code
        == 404
    )


def test_the_board_costs_the_same_queries_for_any_number_of_relationships(
    cast, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def measure(n):
        for i in range(n):
            _supplier(cast, cast.hospital, f"S{n}-{i}", f"Party{n}")
        with django_capture_on_commit_callbacks(execute=True):
            rapid = rapid_assessment_start(
                care_org=cast.hospital, actor=cast.ciso.user, fourth_party=f"Party{n}"
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            selectors.board(rapid)
        return len(ctx.captured_queries)

    assert measure(2) == measure(6)
