"""Issue 16, parts 2 and 2a: required evidence is enforced at submission (page, API and progress
agree), a reviewer-scored answer nobody scored blocks completion, verdicts save in place with
their input kept on an error, the reviewer filters the answers, and "knock-out" means what the
risk model means."""

from __future__ import annotations

import copy
import json

from django.urls import reverse

from questionnaires import assessments as svc
from questionnaires.models import Answer, Assessment, Finding
from questionnaires.services import template_import
from tests.access import MINI_TEMPLATE, PDF, _relationship, assessment_at
from tests.conftest import client_for


def _post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _detail(a):
    return reverse("assessment_detail", kwargs={"pk": a.pk})


def _review_url(a, code="A-01"):
    return reverse("assessment_answer_review", kwargs={"pk": a.pk, "code": code})


# --- 2. Submitting: required evidence ---------------------------------------------------------


def _evidence_required(cast) -> Assessment:
    a = assessment_at(cast, "in_progress")["assessment"]  # A-01 answered "no", no file
    a.template.questions.filter(code="A-01").update(evidence="required")
    return a


def test_required_evidence_counts_as_missing_in_progress(cast):
    a = _evidence_required(cast)
    p = svc.progress(a)
    assert p["answered"] == 1 and p["required_open"] == 1
    assert p["required_open_codes"] == ["A-01"] and p["evidence_open_codes"] == ["A-01"]
    svc.evidence_add(
        assessment=a, code="A-01", name="beleid.pdf", data=PDF, actor=cast.supplier_owner.user
    )
    p = svc.progress(a)
    assert p["required_open"] == 0 and p["evidence_open_codes"] == []


def test_api_submit_refuses_a_missing_required_file_and_lists_the_question(cast, as_api):
    a = _evidence_required(cast)
    supplier = as_api(cast.supplier_owner)
    detail = supplier.get(reverse("assessment-detail", kwargs={"pk": a.pk})).json()
    assert detail["progress"] == {"answered": 1, "required_open": 1, "total": 1}
    r = _post_json(supplier, reverse("assessment-submit", kwargs={"pk": a.pk}))
    assert r.status_code == 400
    body = r.json()
    assert body["errors"] == {"missing": ["A-01"]}
    assert body["missing_questions"] == [
        {"code": "A-01", "section": {"code": "A", "title": "A"}, "text": "MFA?"}
    ]
    assert Assessment.objects.get(pk=a.pk).status == "in_progress"
    svc.evidence_add(
        assessment=a, code="A-01", name="beleid.pdf", data=PDF, actor=cast.supplier_owner.user
    )
    r = _post_json(supplier, reverse("assessment-submit", kwargs={"pk": a.pk}))
    assert r.status_code == 200 and r.json()["status"] == "submitted"


def test_page_submit_lists_what_is_missing_with_links_to_the_questions(cast):
    a = _evidence_required(cast)
    client = client_for(cast.supplier_owner)
    response = client.post(reverse("assessment_submit", kwargs={"pk": a.pk}))
    assert response.status_code == 302 and response.url.endswith("?missing=1#kw-missing")
    assert Assessment.objects.get(pk=a.pk).status == "in_progress"
    page = client.get(_detail(a) + "?missing=1")
    assert [(m["q"].code, m["evidence"]) for m in page.context["missing"]] == [("A-01", True)]
    html = page.content.decode()
    assert 'id="kw-missing"' in html and '<a href="?q=A-01#q-A-01">MFA?</a>' in html
    assert page.context["progress"]["required_open"] == 1
    # Without a refused submission the page does not show the list.
    assert client.get(_detail(a)).context["missing"] == []


def test_na_or_optional_unanswered_questions_owe_no_evidence(cast):
    a = _evidence_required(cast)
    a.template.questions.filter(code="A-01").update(na_allowed=True)
    Answer.objects.filter(assessment=a).update(value="na")
    assert svc.progress(a)["required_open_codes"] == []
    a.template.questions.filter(code="A-01").update(required=False)
    Answer.objects.filter(assessment=a).update(value=None)
    assert svc.progress(a)["required_open_codes"] == []
    Answer.objects.filter(assessment=a).update(value="yes")  # answered: then it needs the file
    assert svc.progress(a)["evidence_open_codes"] == ["A-01"]


def test_hidden_question_owes_no_evidence(cast):
    a = _evidence_required(cast)
    a.template.questions.filter(code="A-01").update(
        show_if={"fact": "intake.data", "op": "eq", "value": 99}
    )
    assert svc.progress(a)["total"] == 0 and svc.progress(a)["required_open_codes"] == []


# --- 2a. Reviewing: reviewer-scored answers ---------------------------------------------------


def _reviewer_scored(cast) -> Assessment:
    """A submitted assessment whose one question is an uploaded document the reviewer scores."""
    a = assessment_at(cast, "submitted")["assessment"]
    a.template.questions.filter(code="A-01").update(answer_type="text", reviewer_scored=True)
    Answer.objects.filter(assessment=a).update(value="MDS2-formulier, zie bijlage")
    return a


def test_completion_is_refused_while_a_reviewer_scored_answer_is_unscored(cast, as_api):
    a = _reviewer_scored(cast)
    ciso = as_api(cast.ciso)
    r = _post_json(ciso, reverse("assessment-complete", kwargs={"pk": a.pk}))
    assert r.status_code == 400
    assert r.json()["errors"] == {"unscored": ["A-01"]}
    assert r.json()["unscored_questions"][0]["text"] == "MFA?"
    assert "score" in r.json()["detail"]
    a.refresh_from_db()
    assert a.status == "submitted" and a.residual_risk == ""
    assert not Finding.objects.filter(assessment=a).exists()
    # A clarification verdict is no score either.
    svc.answer_review(assessment=a, code="A-01", verdict="clarification", actor=cast.ciso.user)
    assert svc.unscored_codes(a) == ["A-01"]
    svc.answer_review(assessment=a, code="A-01", verdict="accepted", actor=cast.ciso.user)
    assert svc.unscored_codes(a) == []
    r = _post_json(ciso, reverse("assessment-complete", kwargs={"pk": a.pk}))
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert Assessment.objects.get(pk=a.pk).control_score == 100


def test_a_score_override_scores_a_reviewer_scored_answer(cast):
    a = _reviewer_scored(cast)
    svc.answer_review(
        assessment=a,
        code="A-01",
        verdict="clarification",
        score_override="0.8",
        motivation="Formulier grotendeels volledig",
        actor=cast.ciso.user,
    )
    assert svc.unscored_codes(a) == []
    svc.assessment_complete(assessment=a, actor=cast.ciso.user)
    assert Assessment.objects.get(pk=a.pk).control_score == 80


def test_review_page_marks_answers_that_need_a_score_and_refuses_completion(cast):
    a = _reviewer_scored(cast)
    client = client_for(cast.ciso)
    page = client.get(_detail(a))
    assert [q.code for q in page.context["needs_score"]] == ["A-01"]
    html = page.content.decode()
    assert 'id="kw-needs-score"' in html and "needs your score" in html
    response = client.post(reverse("assessment_complete", kwargs={"pk": a.pk}), follow=True)
    assert Assessment.objects.get(pk=a.pk).status == "submitted"
    text = [str(m) for m in response.context["messages"]]
    assert any("A-01 MFA?" in m and "still need your score" in m for m in text), text
    client.post(_review_url(a), {"verdict": "rejected", "message": "Onleesbaar"})
    assert client.get(_detail(a)).context["needs_score"] == []
    client.post(reverse("assessment_complete", kwargs={"pk": a.pk}))
    a.refresh_from_db()
    assert a.status == "completed" and a.control_score == 0


def test_needs_score_is_shown_in_dutch(cast):
    a = _reviewer_scored(cast)
    client = client_for(cast.ciso)
    client.cookies["django_language"] = "nl"
    html = client.get(_detail(a), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "heeft uw score nodig" in html


# --- 2a. Reviewing: verdicts in place ---------------------------------------------------------


def test_verdict_saves_in_place_with_htmx(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    client = client_for(cast.ciso)
    r = client.post(_review_url(a), {"verdict": "accepted"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert [t.name for t in r.templates][0] == "questionnaires/_review_saved.html"
    html = r.content.decode()
    assert html.lstrip().startswith('<div class="kw-answer mb-3" id="q-A-01">')
    assert 'id="kw-provisional" hx-swap-oob="true"' in html
    assert 'id="kw-status" hx-swap-oob="true"' in html
    assert "Review saved." in html
    answer = Answer.objects.get(assessment=a)
    assert answer.verdict == "accepted"
    assert Assessment.objects.get(pk=a.pk).status == "in_review"


def test_refused_verdict_keeps_the_typed_override_with_htmx(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    client = client_for(cast.ciso)
    r = client.post(
        _review_url(a),
        {"verdict": "rejected", "message": "Graag bewijs", "score_override": "0.35"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="0.35"' in html and 'value="Graag bewijs"' in html
    assert '<option value="rejected" selected>' in html
    assert 'id="re-A-01"' in html and "needs a motivation" in html
    assert 'name="motivation" id="mo-A-01" maxlength="4000" value="" aria-describedby' in html
    answer = Answer.objects.get(assessment=a)
    assert answer.verdict == "" and answer.score_override is None


def test_without_javascript_a_verdict_redirects_to_the_question(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    client = client_for(cast.ciso)
    r = client.post(_review_url(a), {"verdict": "accepted", "show": "open"})
    assert r.status_code == 302 and r.url == _detail(a) + "?show=open#q-A-01"
    # A refused verdict re-shows the page with the error next to the input.
    r = client.post(_review_url(a), {"verdict": "accepted", "score_override": "0.5"})
    assert r.status_code == 400
    assert 'value="0.5"' in r.content.decode()
    assert Answer.objects.get(assessment=a).score_override is None


def test_the_review_form_shows_the_saved_override_so_a_new_verdict_keeps_it(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    svc.answer_review(
        assessment=a,
        code="A-01",
        verdict="accepted",
        score_override="0.5",
        motivation="Compenserende maatregel",
        actor=cast.ciso.user,
    )
    html = client_for(cast.ciso).get(_detail(a)).content.decode()
    assert 'value="0.5"' in html and 'value="Compenserende maatregel"' in html


# --- 2a. Filters and knock-outs ---------------------------------------------------------------


def _three(cast) -> Assessment:
    """A-01 yes; A-02 a knock-out answered no (fires); A-03 a knock-out answered partially
    (q = 0.5: does not fire)."""
    data = copy.deepcopy(MINI_TEMPLATE)
    data["key"] = "three"
    base = data["sections"][0]["questions"][0]
    extra = []
    for code, kind, knockout in (("A-02", "yes_no", True), ("A-03", "yes_partial_no", True)):
        q = copy.deepcopy(base)
        q.update(
            {"code": code, "type": kind, "knockout": knockout, "text": {"nl": code, "en": code}}
        )
        extra.append(q)
    data["sections"][0]["questions"] += extra
    template = template_import(data=data, publish=True)
    rel = _relationship(cast)["relationship"]
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    for code, value in (("A-01", "yes"), ("A-02", "no"), ("A-03", "partial")):
        svc.answer_save(assessment=a, code=code, value=value, actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    return a


def _codes(page) -> list[str]:
    return [i["q"].code for b in page.context["sections"] for i in b["items"]]


def test_filters_show_answers_that_cost_points_and_those_still_to_review(cast):
    a = _three(cast)
    client = client_for(cast.ciso)
    page = client.get(_detail(a))
    assert page.context["review_counts"] == {"all": 3, "cost": 2, "open": 3}
    assert _codes(client.get(_detail(a) + "?show=cost")) == ["A-02", "A-03"]
    svc.answer_review(assessment=a, code="A-01", verdict="accepted", actor=cast.ciso.user)
    page = client.get(_detail(a) + "?show=open")
    assert _codes(page) == ["A-02", "A-03"] and page.context["review_show"] == "open"
    assert 'name="show" value="open"' in page.content.decode()
    assert _codes(client.get(_detail(a) + "?show=bogus")) == ["A-01", "A-02", "A-03"]


def test_knockout_fired_only_where_the_risk_model_says_so(cast, as_api):
    a = _three(cast)
    page = client_for(cast.ciso).get(_detail(a))
    items = {i["q"].code: i for b in page.context["sections"] for i in b["items"]}
    assert [c for c, i in items.items() if i["knockout_fired"]] == ["A-02"]
    html = page.content.decode()
    assert html.count("knock-out fired</span>") == 1
    assert html.count("knock-out question</span>") == 1  # neutral
    # Never on the supplier's page.
    supplier_html = client_for(cast.supplier_owner).get(_detail(a)).content.decode()
    assert "knock-out" not in supplier_html
    # After completion the findings say the same as the result's knock-outs.
    svc.assessment_complete(assessment=a, actor=cast.ciso.user)
    a.refresh_from_db()
    assert a.scores["knockouts"] == ["A-02"]
    fired = Finding.objects.get(assessment=a, question_code="A-02")
    calm = Finding.objects.get(assessment=a, question_code="A-03")
    assert fired.knockout_fired and calm.knockout and not calm.knockout_fired
    ciso = client_for(cast.ciso)
    calm_html = ciso.get(reverse("finding_detail", kwargs={"pk": calm.pk})).content.decode()
    assert "knock-out question</span>" in calm_html and "knock-out fired" not in calm_html
    fired_html = ciso.get(reverse("finding_detail", kwargs={"pk": fired.pk})).content.decode()
    assert "knock-out fired</span>" in fired_html
    api = as_api(cast.ciso)
    body = api.get(reverse("finding-detail", kwargs={"pk": calm.pk})).json()
    assert body["knockout"] is True and body["knockout_fired"] is False
    # The completed page reads the stored result.
    done = client_for(cast.ciso).get(_detail(a))
    done_items = {i["q"].code: i for b in done.context["sections"] for i in b["items"]}
    assert done_items["A-02"]["knockout_fired"] and not done_items["A-03"]["knockout_fired"]
