"""Autosave re-renders only what the saved answer changed, and shows or hides the follow-ups
its show_if conditions name in place (issue 9: one autosave of 300 questions took 0.3 s)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from questionnaires import assessments as svc
from questionnaires.models import Assessment
from questionnaires.services import template_import
from questionnaires.yaml_io import validate_questionnaire
from tests.access import _relationship
from tests.conftest import client_for

FOLLOW_UP = {"fact": "answer.A-01", "op": "eq", "value": "yes"}


def _q(code: str, text: str, kind: str = "yes_partial_no", show_if=None) -> dict:
    return {"code": code, "text": {"nl": text, "en": text}, "type": kind, "show_if": show_if}


def follow_up_assessment(cast) -> Assessment:
    """A sent assessment: A-01 decides whether A-02 and the whole of section B are asked;
    C-01 stands alone."""
    data = validate_questionnaire(
        {
            "key": "volg",
            "version": 1,
            "title": {"nl": "Vervolg", "en": "Follow-ups"},
            "sections": [
                {
                    "code": "A",
                    "title": {"nl": "A", "en": "A"},
                    "questions": [
                        _q("A-01", "Cloud used?", "yes_no"),
                        _q("A-02", "Which cloud regions?", show_if=FOLLOW_UP),
                        _q("A-03", "Backups tested?"),
                    ],
                },
                {
                    "code": "B",
                    "title": {"nl": "B", "en": "B"},
                    "questions": [_q("B-01", "Cloud exit tested?", show_if=FOLLOW_UP)],
                },
                {
                    "code": "C",
                    "title": {"nl": "C", "en": "C"},
                    "questions": [_q("C-01", "Logging per NEN 7513?")],
                },
            ],
        }
    )
    template = template_import(data=data, publish=True)
    a = svc.assessment_create(
        relationship=_relationship(cast)["relationship"],
        template=template,
        due_date=None,
        actor=cast.procurement.user,
    )
    return svc.assessment_send(assessment=a, actor=cast.procurement.user)


@pytest.fixture
def assessment(cast) -> Assessment:
    return follow_up_assessment(cast)


def _save(client, a, code, value, version, query=""):
    return client.post(
        reverse("assessment_answer_save", kwargs={"pk": a.pk, "code": code}) + query,
        {"value": value, "version": version, "explanation": ""},
        HTTP_HX_REQUEST="true",
    )


def _swapped(html: str) -> list[str]:
    """The ids of the parts the response swaps in out of band, in order."""
    return re.findall(r'id="([^"]+)"[^>]*hx-swap-oob="true"', html)


def test_page_keeps_hidden_follow_ups_as_empty_placeholders(cast, assessment):
    url = reverse("assessment_detail", kwargs={"pk": assessment.pk})
    html = client_for(cast.supplier_owner).get(url)
    page = html.content.decode()
    # One section at a time: section A, with its hidden follow-up as a placeholder; the hidden
    # section B is neither on the page nor in the navigation.
    assert '<div class="kw-answer" id="q-A-02" hidden></div>' in page
    assert 'id="s-B"' not in page and "Logging per NEN 7513?" not in page
    assert [e["section"].code for e in html.context["section_nav"]] == ["A", "C"]
    assert "Which cloud regions?" not in page and "Cloud exit tested?" not in page
    assert "Backups tested?" in page and html.context["progress"]["total"] == 3
    everything = client_for(cast.supplier_owner).get(url + "?all=1").content.decode()
    assert '<fieldset class="kw-card" id="s-B" hidden></fieldset>' in everything
    assert "Backups tested?" in everything and "Logging per NEN 7513?" in everything


def test_autosave_in_one_section_updates_the_navigation_when_a_section_appears(cast, assessment):
    response = _save(client_for(cast.supplier_owner), assessment, "A-01", "yes", 0)
    html = response.content.decode()
    assert _swapped(html) == [
        "kw-status",
        "q-A-01",
        "q-A-02",
        "kw-nav-count-A",
        "kw-section-nav",
        "kw-section-steps",
        "kw-actions",
        "kw-progress",
    ]
    # Section B is not on the page: it appears in the navigation, not as a fieldset.
    assert 'id="s-B"' not in html and "Cloud exit tested?" not in html
    assert [e["section"].code for e in response.context["section_nav"]] == ["A", "B", "C"]
    assert "1 of 3 answered" in html  # section A's count: A-01 of


def test_autosave_shows_the_follow_ups_in_place_and_nothing_else(cast, assessment):
    """On the page with every section (?all=1) the section the answer showed is swapped in."""
    response = _save(client_for(cast.supplier_owner), assessment, "A-01", "yes", 0, "?all=1")
    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert response.context["saved_code"] == "A-01"
    assert _swapped(html) == [
        "kw-status",
        "s-B",
        "q-A-01",
        "q-A-02",
        "kw-nav-count-A",
        "kw-section-nav",
        "kw-actions",
        "kw-progress",
    ]
    assert "Which cloud regions?" in html and "Cloud exit tested?" in html
    assert "Backups tested?" not in html and "Logging per NEN 7513?" not in html
    assert 'role="status"' in html  # "Saved" under A-01
    assert response.context["progress"] == svc.progress(Assessment.objects.get(pk=assessment.pk))
    assert response.context["progress"]["total"] == 5


def test_autosave_hides_the_follow_ups_again(cast, assessment):
    client = client_for(cast.supplier_owner)
    _save(client, assessment, "A-01", "yes", 0, "?all=1")
    response = _save(client, assessment, "A-01", "no", 1, "?all=1")
    html = response.content.decode()
    assert _swapped(html) == [
        "kw-status",
        "s-B",
        "q-A-01",
        "q-A-02",
        "kw-nav-count-A",
        "kw-section-nav",
        "kw-actions",
        "kw-progress",
    ]
    assert '<div class="kw-answer" id="q-A-02" hidden hx-swap-oob="true"></div>' in html
    assert '<fieldset class="kw-card" id="s-B" hidden hx-swap-oob="true"></fieldset>' in html
    assert response.context["progress"]["total"] == 3


def test_autosave_of_a_plain_question_renders_that_question_only(cast, assessment):
    response = _save(client_for(cast.supplier_owner), assessment, "C-01", "partial", 0)
    html = response.content.decode()
    # Nothing showed or hid: only the answer form (new version, "Saved") is sent again, not
    # the rest of the question (its files, messages and assignment stay as they are).
    assert _swapped(html) == ["kw-status", "af-C-01", "kw-nav-count-C", "kw-actions", "kw-progress"]
    assert 'name="version" value="1"' in html  # the next save sends the new version
    assert Assessment.objects.get(pk=assessment.pk).status == "in_progress"
    # The first answer turns "sent" into "in progress": the heading says so at once.
    status = re.search(r'<strong id="kw-status" hx-swap-oob="true">([^<]*)</strong>', html)
    assert status and status.group(1) in ("In behandeling", "In progress")


def test_a_stale_version_shows_the_conflict_under_the_question(cast, assessment):
    client = client_for(cast.supplier_owner)
    _save(client, assessment, "C-01", "yes", 0)
    response = _save(client, assessment, "C-01", "no", 0)
    assert response.context["error_code"] == "C-01" and "meanwhile" in response.context["error"]
    assert _swapped(response.content.decode()) == [
        "kw-status",
        "q-C-01",
        "kw-actions",
        "kw-progress",
    ]
    assert assessment.answers.get().value == "yes"


def test_autosave_after_submission_re_renders_every_question(cast, assessment):
    client = client_for(cast.supplier_owner)
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted")  # a colleague did
    response = _save(client, assessment, "C-01", "yes", 0)
    html = response.content.decode()
    assert "HX-Reswap" not in response  # the whole #kw-answers is replaced, read-only now
    assert response.context["error_code"] == "C-01" and response.context["can_answer"] is False
    # The saved question's section, read-only now (the page shows one section at a time).
    assert "Logging per NEN 7513?" in html and "Backups tested?" not in html
    assert 'hx-post="' not in html
