"""The builder: a security officer builds, previews and publishes a questionnaire; drafts only."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questionnaires.models import Question, QuestionnaireTemplate, TemplateStatus
from questionnaires.services import template_import, template_publish, template_to_dict
from questionnaires.yaml_io import validate_questionnaire
from tests.conftest import client_for


def _question_post(revision, **overrides):
    data = {
        "code": "ACC-01",
        "text_nl": "Gebruikt u MFA?",
        "text_en": "Do you use MFA?",
        "type": "yes_partial_no",
        "weight": "3",
        "required": "on",
        "severity": "high",
        "evidence": "optional",
        "references": "NEN7510-2:8.5",
        "advice_nl": "Voer MFA in",
        "advice_en": "Introduce MFA",
        "show_mode": "always",
        "revision": str(revision),
    }
    data.update(overrides)
    return data


def _new_draft(client):
    client.post(
        reverse("questionnaire_new"), {"key": "eigen-lijst", "title_nl": "Eigen", "title_en": "Own"}
    )
    return QuestionnaireTemplate.objects.get(key="eigen-lijst")


def test_security_officer_builds_and_publishes(cast):
    client = client_for(cast.ciso)
    template = _new_draft(client)
    assert template.owner == cast.hospital and template.status == TemplateStatus.DRAFT
    client.post(
        reverse("questionnaire_section_add", kwargs={"pk": template.pk}),
        {"code": "acc", "title_nl": "Toegang", "title_en": "Access", "revision": template.revision},
    )
    section = template.sections.get()
    assert section.code == "ACC"
    template.refresh_from_db()
    add = reverse(
        "questionnaire_question_add", kwargs={"pk": template.pk, "section_pk": section.pk}
    )
    response = client.post(add, _question_post(template.revision, knockout="on"))
    assert response.status_code == 302, response.context["form"].errors
    template.refresh_from_db()
    response = client.post(
        add,
        _question_post(
            template.revision,
            code="ACC-02",
            type="single_choice",
            text_nl="Welke methode?",
            text_en="Which method?",
            choices="app | App | App | 1\nsms | Sms | Text | 0.5",
            show_mode="all",
            cond_0_fact="answer.ACC-01",
            cond_0_op="in",
            cond_0_value="yes, partial",
            cond_1_fact="supplier.types",
            cond_1_op="contains",
            cond_1_value="cloud",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    q2 = Question.objects.get(template=template, code="ACC-02")
    assert q2.show_if == {
        "all": [
            {"fact": "answer.ACC-01", "op": "in", "value": ["yes", "partial"]},
            {"fact": "supplier.types", "op": "contains", "value": "cloud"},
        ]
    }
    assert [c["score"] for c in q2.choices] == [1.0, 0.5]
    # What the builder made is always a valid questionnaire file.
    validate_questionnaire(template_to_dict(template))
    # The preview follows the rule: ACC-02 appears for a cloud supplier who answered yes.
    preview = client.get(
        reverse("questionnaire_preview", kwargs={"pk": template.pk}),
        {"type": "cloud", "a_ACC-01": "yes"},
    )
    assert preview.context["visible_count"] == 2
    preview = client.get(
        reverse("questionnaire_preview", kwargs={"pk": template.pk}),
        {"type": "cloud", "a_ACC-01": "no"},
    )
    assert preview.context["visible_count"] == 1
    client.post(reverse("questionnaire_publish", kwargs={"pk": template.pk}))
    template.refresh_from_db()
    assert template.status == TemplateStatus.PUBLISHED


def test_builder_refuses_bad_question_and_keeps_nothing(cast):
    client = client_for(cast.ciso)
    template = _new_draft(client)
    client.post(
        reverse("questionnaire_section_add", kwargs={"pk": template.pk}),
        {"code": "GOV", "title_nl": "Bestuur", "title_en": "Governance", "revision": 0},
    )
    template.refresh_from_db()
    section = template.sections.get()
    add = reverse(
        "questionnaire_question_add", kwargs={"pk": template.pk, "section_pk": section.pk}
    )
    response = client.post(
        add,
        _question_post(
            template.revision,
            type="single_choice",
            references="ISO:1",
            show_mode="all",
            cond_0_fact="intake.data",
            cond_0_op="gte",
            cond_0_value="hoog",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "choices" in errors and "references" in errors and "cond_0_value" in errors
    assert not Question.objects.filter(template=template).exists()


def test_stale_form_is_refused(cast):
    client = client_for(cast.ciso)
    template = _new_draft(client)
    url = reverse("questionnaire_section_add", kwargs={"pk": template.pk})
    client.post(url, {"code": "A", "title_nl": "A", "title_en": "A", "revision": 0})
    response = client.post(url, {"code": "B", "title_nl": "B", "title_en": "B", "revision": 0})
    assert response.status_code == 200
    assert "meanwhile" in str(response.context["form"].non_field_errors())
    assert list(template.sections.values_list("code", flat=True)) == ["A"]


def test_published_template_cannot_be_edited(cast, own_template):
    template_publish(template=own_template, actor=cast.ciso.user)
    own_template.refresh_from_db()
    section = own_template.sections.first()
    question = section.questions.first()
    client = client_for(cast.ciso)
    url = reverse(
        "questionnaire_question_edit",
        kwargs={"pk": own_template.pk, "section_pk": section.pk, "question_pk": question.pk},
    )
    response = client.post(url, _question_post(own_template.revision, code=question.code))
    assert response.status_code == 200
    assert "cannot change" in str(response.context["form"].non_field_errors())
    question.refresh_from_db()
    assert question.text_nl != "Gebruikt u MFA?"
    client.post(
        reverse(
            "questionnaire_question_delete",
            kwargs={"pk": own_template.pk, "question_pk": question.pk},
        ),
        {"revision": own_template.revision},
    )
    assert Question.objects.filter(pk=question.pk).exists()


def test_question_others_depend_on_cannot_be_deleted(cast, own_template):
    gov01 = own_template.questions.get(code="GOV-01")  # GOV-02 shows only when GOV-01 = yes
    client_for(cast.ciso).post(
        reverse(
            "questionnaire_question_delete", kwargs={"pk": own_template.pk, "question_pk": gov01.pk}
        ),
        {"revision": own_template.revision},
    )
    assert Question.objects.filter(pk=gov01.pk).exists()


def test_move_question_down(cast, own_template):
    section = own_template.sections.get(code="ACC")
    first = section.questions.order_by("order").first()
    client_for(cast.ciso).post(
        reverse(
            "questionnaire_move",
            kwargs={
                "pk": own_template.pk,
                "kind": "question",
                "item_pk": first.pk,
                "direction": "down",
            },
        ),
        {"revision": own_template.revision},
    )
    assert [q.code for q in section.questions.order_by("order")] == ["ACC-02", "ACC-01", "ACC-03"]


def test_builder_shows_only_own_templates(cast, own_template):
    assert (
        client_for(cast.other_care_ciso)
        .get(reverse("questionnaire_builder", kwargs={"pk": own_template.pk}))
        .status_code
        == 404
    )


def _bulk_template(n: int, key: str):
    sections = [
        {"code": f"S{s}", "title": {"nl": "S", "en": "S"}, "questions": []} for s in range(5)
    ]
    for i in range(n):
        sections[i % 5]["questions"].append(
            {
                "code": f"Q-{i:03d}",
                "text": {"nl": "Vraag", "en": "Question"},
                "help": {"nl": "", "en": ""},
                "type": "yes_no",
                "choices": [],
                "na_allowed": False,
                "weight": 1,
                "required": True,
                "knockout": False,
                "severity": "medium",
                "applies_to": [],
                "show_if": None,
                "evidence": "none",
                "bands": [],
                "reviewer_scored": False,
                "references": [],
                "advice": {"nl": "", "en": ""},
            }
        )
    return template_import(
        data={
            "key": key,
            "version": 1,
            "title": {"nl": "T", "en": "T"},
            "description": {"nl": "", "en": ""},
            "sections": sections,
        }
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_builder_and_preview_query_count_does_not_grow(cast):
    small, large = _bulk_template(10, "small"), _bulk_template(200, "large")
    for t in (small, large):
        QuestionnaireTemplate.objects.filter(pk=t.pk).update(owner=cast.hospital)
    client = client_for(cast.ciso)
    for name in ("questionnaire_builder", "questionnaire_detail", "questionnaire_preview"):
        a = _queries(client, reverse(name, kwargs={"pk": small.pk}))
        b = _queries(client, reverse(name, kwargs={"pk": large.pk}))
        assert a == b, f"{name}: {a} queries for 10 questions, {b} for 200"
