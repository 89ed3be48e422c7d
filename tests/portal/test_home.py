"""Home pages show live figures once there is data, and an empty state before."""

from __future__ import annotations

from django.urls import reverse

from tests.access import assessment_at
from tests.conftest import client_for


def test_empty_state_before_any_relationship(cast):
    page = client_for(cast.ciso).get(reverse("home"))
    assert page.context["relationship_count"] == 0
    assert "No supplier relationships yet" in page.content.decode()


def test_figures_and_work_waiting(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    ciso = client_for(cast.ciso).get(reverse("home"))
    assert ciso.context["relationship_count"] == 1
    assert ("critical", 1, 1) in ciso.context["tiers"]
    assert [x.pk for x in ciso.context["to_review"]] == [a.pk]
    assert "No supplier relationships yet" not in ciso.content.decode()
    board = client_for(cast.board).get(reverse("home"))
    assert board.context["relationship_count"] == 1


def test_supplier_home_lists_open_questionnaires(cast):
    a = assessment_at(cast, "sent")["assessment"]
    page = client_for(cast.respondent).get(reverse("home"))
    assert [x.pk for x in page.context["open_assessments"]] == [a.pk]
    assert (
        client_for(cast.other_supplier_owner)
        .get(reverse("home"))
        .context["open_assessments"]
        .count()
        == 0
    )


def test_open_findings_count_relationships_not_findings(cast):
    from questionnaires.models import Finding

    world = assessment_at(cast, "sent")
    rel = world["relationship"]
    for code in ("A", "B", "C"):
        Finding.objects.create(
            relationship=rel,
            question_code=code,
            severity="low",
            title_nl=code,
            title_en=code,
            score=0,
            due_date="2099-01-01",
        )
    assert client_for(cast.ciso).get(reverse("home")).context["open_findings"] == 1
