"""Length limits everywhere (ASVS V5.1): every text a person can send has a maximum — on the
model, on the form, in the API — and an over-long value is a clear error that changes nothing.

The meta-tests walk the project's models, forms and the API's request schema, so a new field
without a limit fails here.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from portal.core.accounts.models import Organisation
from questionnaires.models import Answer, QuestionnaireTemplate, Section
from suppliers.models import Product, Relationship
from tests.access import _finding, _own_template, _relationship, assessment_at
from tests.conftest import api_client_for, client_for

PROJECT = ("portal", "suppliers", "questionnaires", "contracts")


def _project_modules():
    for top in PROJECT:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                yield importlib.import_module(info.name)


def test_every_model_text_field_has_a_max_length():
    missing = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        if m.__module__.startswith(PROJECT)
        for f in m._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and not f.max_length
    ]
    assert not missing, f"text fields without max_length: {missing}"


def _form_kwargs() -> dict:
    """What each form needs to be built; a new form with extra arguments is added here."""
    from suppliers.appetite import DEFAULT_APPETITE

    care = Organisation(kind="care", name="x", slug="x")
    return {
        "InviteForm": {"organisation": care},
        "RoleForm": {"organisation": care},
        "AcceptInvitationForm": {"email": "iemand@example.nl"},
        "AuditFilterForm": {"actions": []},
        "RelationshipForm": {"suppliers": []},
        "AppetiteForm": {"appetite": DEFAULT_APPETITE},
        "SendForm": {"templates": []},
        "QuestionForm": {"fact_choices": [("intake.data", "intake.data")]},
        "MappingForm": {"sheets": ["Q"], "headers": ["vraag"]},
        "EraseForm": {"email": "iemand@example.nl"},
    }


def test_every_form_text_field_has_a_max_length():
    kwargs = _form_kwargs()
    checked, missing = [], []
    for module in _project_modules():
        for name, cls in vars(module).items():
            if not (
                inspect.isclass(cls)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
            ):
                continue
            form = cls(**kwargs.get(name, {}))  # fields added in __init__ count as well
            checked.append(name)
            missing += [
                f"{module.__name__}.{name}.{field_name}"
                for field_name, field in form.fields.items()
                if isinstance(field, forms.CharField) and not field.max_length
            ]
    assert len(checked) >= 20, checked
    assert not missing, f"form text fields without max_length: {missing}"


# Free-form JSON inputs, each limited by its service (and tested below).
FREE_FORM = {("AnswerInRequest", "value")}


def test_every_api_input_has_a_limit():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    problems: list[str] = []

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = components[node["$ref"].split("/")[-1]]
        return node

    def check(node: dict, where: tuple[str, str]) -> None:
        node = resolve(node)
        for option in node.get("oneOf", []) + node.get("allOf", []):
            check(option, where)
        kind = node.get("type")
        if kind == "object":
            for name, prop in node.get("properties", {}).items():
                check(prop, (where[0], name))
        elif kind == "array":
            if "maxItems" not in node:
                problems.append(f"{where}: array without maxItems")
            check(node.get("items", {}), where)
        elif kind == "string":
            bounded = "maxLength" in node or "enum" in node
            if not bounded and node.get("format") not in ("date", "date-time", "binary", "uuid"):
                problems.append(f"{where}: string without maxLength")
        elif kind is None and "enum" not in node and not node.get("oneOf"):
            if where not in FREE_FORM:
                problems.append(f"{where}: free-form value")

    bodies = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                bodies += 1
                ref = content["schema"].get("$ref", f"{method} {path}").split("/")[-1]
                check(content["schema"], (ref, ""))
    assert bodies >= 10
    assert not problems, "\n".join(sorted(set(problems)))


# -- over-long values: a clear error, nothing changed -----------------------------------------

LONG = "x" * 5000


def test_over_long_form_values_are_form_errors(cast):
    ciso, procurement = client_for(cast.ciso), client_for(cast.procurement)
    before = (Organisation.objects.count(), Product.objects.count())

    r = procurement.post(reverse("supplier_new"), {"name": LONG, "kvk_number": "1" * 30})
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"name", "kvk_number"}
    assert "at most 200 characters" in r.context["form"].errors["name"][0]

    r = client_for(cast.care_admin).post(
        reverse("members"), {"email": "a" * 300 + "@example.nl", "role": "viewer"}
    )
    assert r.status_code in (200, 400) and r.context["form"].errors["email"]

    r = client_for(cast.supplier_owner).post(
        reverse("product_list"), {"name": "EPD", "description": LONG}
    )
    assert r.status_code in (200, 400) and r.context["form"].errors["description"]

    template = _own_template(cast)["template"]
    sections = Section.objects.filter(template=template).count()
    r = ciso.post(
        reverse("questionnaire_section_add", kwargs={"pk": template.pk}),
        {"code": "X" * 30, "title_nl": LONG, "title_en": "ok"},
    )
    assert r.status_code in (200, 400)
    assert {"code", "title_nl"} <= set(r.context["form"].errors)

    assert (Organisation.objects.count(), Product.objects.count()) == before
    assert Section.objects.filter(template=template).count() == sections


def test_over_long_api_values_are_400_and_change_nothing(cast):
    world = _finding(cast)
    rel, finding = world["relationship"], world["finding"]
    api = api_client_for(cast.ciso)

    r = api.post(reverse("supplier-list"), {"name": LONG}, content_type="application/json")
    assert r.status_code == 400 and "name" in r.json()["errors"]

    r = api.patch(
        reverse("relationship-detail", kwargs={"pk": rel.pk}),
        {"name": LONG, "version": rel.version},
        content_type="application/json",
    )
    assert r.status_code == 400 and "name" in r.json()["errors"]
    assert Relationship.objects.get(pk=rel.pk).name == rel.name

    updates = finding.updates.count()
    r = api.post(
        reverse("finding-comment", kwargs={"pk": finding.pk}),
        {"text": LONG},
        content_type="application/json",
    )
    assert r.status_code == 400 and "text" in r.json()["errors"]
    assert finding.updates.count() == updates


def test_over_long_answers_are_400_and_change_nothing(cast):
    from questionnaires.services import template_import
    from tests.access import MINI_TEMPLATE

    text_question = {**MINI_TEMPLATE["sections"][0]["questions"][0], "code": "T-01", "type": "text"}
    data = {
        **MINI_TEMPLATE,
        "key": "tekst",
        "sections": [{**MINI_TEMPLATE["sections"][0], "questions": [text_question]}],
    }
    world = assessment_at(cast, "sent")
    template = template_import(data=data, publish=True)
    from questionnaires import assessments as svc

    a = svc.assessment_create(
        relationship=world["relationship"],
        template=template,
        due_date=None,
        actor=cast.procurement.user,
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    api = api_client_for(cast.supplier_owner)
    url = reverse("assessment-answer", kwargs={"pk": a.pk, "code": "T-01"})
    for body in (
        {"value": "y" * 10_001},
        {"value": "kort", "explanation": LONG},
        {"value": ["y" * 100] * 200},
    ):
        r = api.put(url, body, content_type="application/json")
        assert r.status_code == 400, (body.keys(), r.status_code)
    # JSON nested thousands deep is refused by the parser, not a crash.
    r = api.put(
        url,
        '{"value": ' + "[" * 50_000 + "]" * 50_000 + "}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400 and "nested too deeply" in json.dumps(r.json())
    assert not Answer.objects.filter(assessment=a).exists()
    assert QuestionnaireTemplate.objects.filter(key="tekst").count() == 1


@pytest.mark.parametrize("field", ["title_nl", "text_nl"])
def test_model_limits_match_the_file_format(field):
    """The importer's limits are the models' limits: a valid file always fits the tables."""
    from questionnaires import yaml_io
    from questionnaires.models import Question

    model = Question if field == "text_nl" else QuestionnaireTemplate
    limit = model._meta.get_field(field).max_length
    assert limit >= (yaml_io.MAX_TEXT if field == "text_nl" else 200)


def test_relationship_supplier_types_are_bounded(cast):
    world = _relationship(cast)
    rel = world["relationship"]
    r = api_client_for(cast.ciso).patch(
        reverse("relationship-detail", kwargs={"pk": rel.pk}),
        {"supplier_types": ["epd"] * 1000, "version": rel.version},
        content_type="application/json",
    )
    assert r.status_code == 400 and "supplier_types" in r.json()["errors"]
    assert Relationship.objects.get(pk=rel.pk).supplier_types == rel.supplier_types
