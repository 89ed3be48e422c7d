"""The questionnaire page one section at a time (issue 21 §1): navigation with progress per
section, deep links to a question, "next section", everything on one page for printing, and
the message and assignment forms loaded only when opened."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access import _relationship
from tests.conftest import client_for
from tests.questionnaires.test_assessment_queries import _assessment
from tests.questionnaires.test_autosave import _save, follow_up_assessment


def _page(client, a, query=""):
    return client.get(reverse("assessment_detail", kwargs={"pk": a.pk}) + query)


def _questions_on(html: str) -> list[str]:
    return re.findall(r'<div class="kw-answer mb-3" id="q-([^"]+)"', html)


def test_the_page_shows_one_section_with_the_navigation_and_next_section(cast):
    a = follow_up_assessment(cast)
    client = client_for(cast.supplier_owner)
    response = _page(client, a)
    html = response.content.decode()
    assert _questions_on(html) == ["A-01", "A-03"]  # A-02 is a hidden follow-up
    nav = response.context["section_nav"]
    assert [(e["section"].code, e["total"], e["answered"], e["current"]) for e in nav] == [
        ("A", 2, 0, True),
        ("C", 1, 0, False),
    ]
    assert 'aria-current="step"' in html and "Section 1 of 2" in html
    assert 'href="?section=C#kw-answers"' in html and 'rel="next"' in html
    assert 'rel="prev"' not in html
    second = _page(client, a, "?section=C")
    assert _questions_on(second.content.decode()) == ["C-01"]
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()


def test_a_deep_link_opens_the_section_of_the_question(cast):
    a = follow_up_assessment(cast)
    client = client_for(cast.supplier_owner)
    assert _questions_on(_page(client, a, "?q=C-01").content.decode()) == ["C-01"]
    # A hidden or unknown question, or an unknown section: the first section, not an error.
    for query in ("?q=B-01", "?q=NOPE", "?section=ZZ"):
        response = _page(client, a, query)
        assert response.status_code == 200 and _questions_on(response.content.decode())[0] == "A-01"


def test_everything_on_one_page_for_printing(cast):
    a = follow_up_assessment(cast)
    html = _page(client_for(cast.supplier_owner), a, "?all=1").content.decode()
    assert _questions_on(html) == ["A-01", "A-03", "C-01"]
    assert 'href="#s-C"' in html and "Show one section at a time" in html
    assert 'hx-post="/assessments/' in html and '?all=1"' in html  # autosave keeps the view


def test_the_section_count_and_the_navigation_follow_an_autosave(cast):
    a = follow_up_assessment(cast)
    client = client_for(cast.supplier_owner)
    html = _save(client, a, "C-01", "yes", 0).content.decode()
    count = re.search(r'<span id="kw-nav-count-C"[^>]*hx-swap-oob="true">(.*?)</span>\n', html)
    assert count and "1 of 1 answered" in count.group(1) and "complete" in count.group(1)
    page = _page(client, a)
    entry = {e["section"].code: e for e in page.context["section_nav"]}["C"]
    assert (entry["answered"], entry["open"], entry["done"]) == (1, 0, True)


def test_only_the_shown_section_is_rendered_and_queries_stay_flat(cast):
    """200 questions in 5 sections: the page renders 40; the queries are those of 10."""
    rel = _relationship(cast)["relationship"]
    small, large = _assessment(cast, rel, 10, "small"), _assessment(cast, rel, 200, "large")
    client = client_for(cast.respondent)
    client.get(reverse("assessment_list"))
    counts, shown = [], []
    for a in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            response = _page(client, a, "?section=S1")
        counts.append(len(ctx.captured_queries))
        shown.append(len(_questions_on(response.content.decode())))
    assert counts[0] == counts[1], counts
    assert shown == [2, 40]
    everything = _page(client, large, "?all=1").content.decode()
    assert len(_questions_on(everything)) == 200


def test_message_and_assignment_forms_load_when_opened(cast):
    a = follow_up_assessment(cast)
    owner = client_for(cast.supplier_owner)
    page = _page(owner, a).content.decode()
    assert 'name="body"' not in page  # no message form rendered per question any more
    message_url = reverse("assessment_answer_message", kwargs={"pk": a.pk, "code": "A-01"})
    assert f'hx-get="{message_url}"' in page and 'hx-trigger="toggle once"' in page
    fragment = owner.get(message_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="body"' in fragment and "<html" not in fragment
    assert 'name="internal"' not in fragment  # internal notes are the care side's only
    full = owner.get(message_url)
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert "Back to the questionnaire" in full.content.decode()
    assign_url = reverse("assessment_assign", kwargs={"pk": a.pk}) + "?target=question:A-03"
    assign = owner.get(assign_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="assignee"' in assign and cast.respondent.user.email in assign
    bad = reverse("assessment_assign", kwargs={"pk": a.pk})
    assert owner.get(bad + "?target=section:A").status_code == 404
    unknown = reverse("assessment_answer_message", kwargs={"pk": a.pk, "code": "NOPE"})
    assert owner.get(unknown).status_code == 404


def test_a_usual_autosave_reads_only_what_it_must(cast):
    """Session, user, membership; the assessment read with its row lock, the answers' values
    with the saved answer's row (one query), its update and the audit event (savepoint and
    release in the test's transaction). The question of a published questionnaire comes from
    the per-process cache. No assignments, files, messages, documents or notification count."""
    rel = _relationship(cast)["relationship"]
    a = _assessment(cast, rel, 50, "usual")
    client = client_for(cast.respondent)
    client.get(reverse("assessment_list"))
    url = reverse("assessment_answer_save", kwargs={"pk": a.pk, "code": "Q-002"})
    client.post(url, {"value": "yes", "version": 1}, HTTP_HX_REQUEST="true")  # now in progress
    url = reverse("assessment_answer_save", kwargs={"pk": a.pk, "code": "Q-001"})
    version = a.answers.get(question__code="Q-001").version
    client.post(url, {"value": "yes", "version": version}, HTTP_HX_REQUEST="true")  # cached now
    for value in ("no", "yes"):
        version = a.answers.get(question__code="Q-001").version
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                url, {"value": value, "version": version}, HTTP_HX_REQUEST="true"
            )
        assert response.status_code == 200 and 'id="af-Q-001"' in response.content.decode()
        assert len(ctx.captured_queries) == 9, [q["sql"][:80] for q in ctx.captured_queries]
    assert a.answers.get(question__code="Q-001").value == "yes"
